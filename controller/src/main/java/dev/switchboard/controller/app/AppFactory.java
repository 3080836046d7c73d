package dev.switchboard.controller.app;

import jakarta.inject.Inject;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Makes the instance of an app that runs, from the instance {@link java.util.ServiceLoader}
 * found (which only describes it). The server's composition root supplies one backed by its
 * injector; {@link #reflective()} needs none.
 */
@FunctionalInterface
public interface AppFactory {

    /**
     * @param described the app as found: its class, name and declarations
     * @param context   the app's context; {@link AppContext#service} gives the views of the
     *                  services it consumes
     * @return the instance to start, of {@code described}'s class
     */
    SwitchboardApp create(SwitchboardApp described, AppContext context);

    /** Runs each app as the instance given: for apps the caller constructed with their services. */
    static AppFactory asGiven() {
        return (described, context) -> described;
    }

    /**
     * Calls the app's public constructor marked {@link Inject}, passing the {@link AppContext}
     * or a consumed service for each parameter by its type, and {@code Optional.empty()} for an
     * {@code Optional} one (something the server's composition root may supply, such as the
     * cluster's exchange, and that an app does without); an app without one runs as found.
     */
    static AppFactory reflective() {
        return (described, context) -> {
            Constructor<?> injectable = injectableConstructor(described.getClass());
            if (injectable == null) {
                return described;
            }
            List<Object> arguments = new ArrayList<>();
            for (Class<?> type : injectable.getParameterTypes()) {
                arguments.add(type == AppContext.class ? context
                        : type == Optional.class ? Optional.empty() : context.service(type));
            }
            try {
                injectable.setAccessible(true); // a public constructor of a class nested in a non-public one
                return (SwitchboardApp) injectable.newInstance(arguments.toArray());
            } catch (InvocationTargetException e) {
                throw new IllegalStateException("app '" + described.name() + "' failed to construct: "
                        + e.getCause(), e.getCause());
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("app '" + described.name() + "' cannot be constructed: " + e, e);
            }
        };
    }

    /** The public constructor marked {@link Inject}, or null. */
    static Constructor<?> injectableConstructor(Class<?> type) {
        for (Constructor<?> constructor : type.getConstructors()) {
            if (constructor.isAnnotationPresent(Inject.class)) {
                return constructor;
            }
        }
        return null;
    }
}
