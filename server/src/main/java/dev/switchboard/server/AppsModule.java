package dev.switchboard.server;

import com.google.inject.AbstractModule;
import com.google.inject.Injector;
import com.google.inject.Module;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.switchboard.controller.app.AppConfig;
import dev.switchboard.controller.app.AppContext;
import dev.switchboard.controller.app.AppFactory;
import dev.switchboard.controller.app.AppRuntime;
import dev.switchboard.controller.app.SwitchboardApp;
import java.util.List;
import java.util.ServiceLoader;
import java.util.function.Function;

/**
 * Wiring of the apps. {@link ServiceLoader} finds the apps on the class path, and the Guice
 * modules apps contribute (a jar lists its module in
 * {@code META-INF/services/com.google.inject.Module}, for bindings of its own). Each app is
 * made by a child injector holding its {@link AppContext} and its views of the services it
 * consumes, so its {@code @Inject} constructor receives them; Guice is done once the app is
 * made, and never sees a packet.
 */
final class AppsModule extends AbstractModule {
    private final Selection selection;
    private final ClassLoader loader;

    /** The apps to run and each one's config section: what the command line and config file chose. */
    record Selection(List<String> names, Function<String, AppConfig> configs) {
    }

    AppsModule(Selection selection, ClassLoader loader) {
        this.selection = selection;
        this.loader = loader;
    }

    @Override
    protected void configure() {
        bind(Selection.class).toInstance(selection);
        for (Module contributed : ServiceLoader.load(Module.class, loader)) {
            install(contributed);
        }
    }

    /** Every app on the class path, as it describes itself. */
    @Provides
    @Singleton
    java.util.Map<String, SwitchboardApp> available() {
        return AppRuntime.available(loader);
    }

    @Provides
    @Singleton
    AppFactory appFactory(Injector injector) {
        return (described, context) -> {
            if (AppFactory.injectableConstructor(described.getClass()) == null) {
                return described;
            }
            Injector perApp = injector.createChildInjector(binder -> {
                binder.bind(AppContext.class).toInstance(context);
                for (Class<?> service : described.consumes()) {
                    bindService(binder, service, context);
                }
            });
            return perApp.getInstance(described.getClass());
        };
    }

    private static <T> void bindService(com.google.inject.Binder binder, Class<T> type, AppContext context) {
        binder.bind(type).toInstance(context.service(type));
    }
}
