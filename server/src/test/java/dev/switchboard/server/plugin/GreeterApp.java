package dev.switchboard.server.plugin;

import dev.switchboard.controller.app.AppContext;
import dev.switchboard.controller.app.SwitchboardApp;
import dev.switchboard.topology.TopologyService;
import jakarta.inject.Inject;
import java.util.List;

/**
 * A test plug-in found by ServiceLoader: its constructor takes a consumed service and a
 * binding of the Guice module its jar contributes ({@link GreeterModule}).
 */
public final class GreeterApp implements SwitchboardApp {
    /** What the running instance was given, for the test to read. */
    public static volatile String lastGreeting;
    public static volatile TopologyService lastTopology;

    private final Greeting greeting;
    private final TopologyService topology;

    public GreeterApp() {
        this(null, null);
    }

    @Inject
    public GreeterApp(Greeting greeting, TopologyService topology) {
        this.greeting = greeting;
        this.topology = topology;
    }

    /** Bound by {@link GreeterModule}. */
    public record Greeting(String text) {
    }

    @Override
    public String name() {
        return "greeter";
    }

    @Override
    public int cookieNumber() {
        return 0xEE;
    }

    @Override
    public List<Class<?>> consumes() {
        return List.of(TopologyService.class);
    }

    @Override
    public void start(AppContext context) {
        lastGreeting = greeting.text();
        lastTopology = topology;
    }
}
