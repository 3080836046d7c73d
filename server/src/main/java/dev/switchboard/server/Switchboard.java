package dev.switchboard.server;

import dev.switchboard.controller.Controller;
import dev.switchboard.controller.ControllerConfig;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;

/** The running server: the OpenFlow controller and, when configured, the OVSDB servers it manages. */
public final class Switchboard implements AutoCloseable {
    private final Controller controller;
    private final List<InetSocketAddress> openflow;
    private final OvsdbManager ovsdb;

    private Switchboard(Controller controller, List<InetSocketAddress> openflow, OvsdbManager ovsdb) {
        this.controller = controller;
        this.openflow = openflow;
        this.ovsdb = ovsdb;
    }

    /** The apps {@code --apps} knows so far. */
    public static final List<String> APPS = List.of("normal");

    /** Starts everything, or nothing: on failure what started is stopped again. */
    public static Switchboard start(ControllerConfig openflowConfig, SwitchboardConfig.Ovsdb ovsdbConfig) {
        return start(openflowConfig, ovsdbConfig, List.of());
    }

    /**
     * @param apps app names from {@link #APPS}
     * @throws IllegalArgumentException for an unknown app, before anything starts
     */
    public static Switchboard start(ControllerConfig openflowConfig, SwitchboardConfig.Ovsdb ovsdbConfig, List<String> apps) {
        for (String app : apps) {
            if (!APPS.contains(app)) {
                throw new IllegalArgumentException("unknown app '" + app + "' (known: " + String.join(", ", APPS) + ")");
            }
        }
        Controller controller = new Controller(openflowConfig);
        if (apps.contains("normal")) {
            controller.switches().addSwitchListener(new NormalForwarding());
        }
        try {
            List<InetSocketAddress> bound = controller.start();
            OvsdbManager ovsdb = null;
            if (!ovsdbConfig.isEmpty()) {
                List<String> targets = ovsdbConfig.controllers().isEmpty()
                        ? OvsdbManager.defaultControllers(bound) : ovsdbConfig.controllers();
                ovsdb = new OvsdbManager(ovsdbConfig, targets);
            }
            return new Switchboard(controller, bound, ovsdb);
        } catch (RuntimeException e) {
            controller.close();
            throw e;
        }
    }

    public Controller controller() {
        return controller;
    }

    public List<InetSocketAddress> openflowAddresses() {
        return openflow;
    }

    public Optional<OvsdbManager> ovsdb() {
        return Optional.ofNullable(ovsdb);
    }

    @Override
    public void close() {
        if (ovsdb != null) {
            ovsdb.close();
        }
        controller.close();
    }
}
