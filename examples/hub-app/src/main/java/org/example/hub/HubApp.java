package org.example.hub;

import dev.switchboard.controller.Disposition;
import dev.switchboard.controller.OFSwitch;
import dev.switchboard.controller.app.AppContext;
import dev.switchboard.controller.app.SwitchboardApp;
import dev.switchboard.controller.openflow.OpenFlowMessages;
import dev.switchboard.controller.openflow.OpenFlowMessages.FlowSpec;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFPacketIn;
import org.projectfloodlight.openflow.protocol.action.OFAction;
import org.projectfloodlight.openflow.types.OFBufferId;
import org.projectfloodlight.openflow.types.OFPort;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every switch becomes a hub: a packet that reaches the controller is flooded out of every
 * port but the one it came in on, and a flow for its in-port does the same for the packets
 * after it. Enabled with {@code --apps hub}; configured under {@code apps: hub:}.
 */
public final class HubApp implements SwitchboardApp {
    private static final Logger log = LoggerFactory.getLogger(HubApp.class);

    /** The app's settings; a missing key takes its default. */
    public record Settings(Integer priority, Duration idleTimeout) {
        public Settings {
            priority = priority == null ? 10 : priority;
            idleTimeout = idleTimeout == null ? Duration.ofSeconds(30) : idleTimeout;
        }
    }

    private final LongAdder flooded = new LongAdder();
    private Settings settings;
    private AppContext context;

    /**
     * The flow-cookie number of the hub's flows: a third-party app picks one from 0x80 up and
     * keeps it, so the flows a running switch holds stay recognisable as the hub's.
     */
    public static final int COOKIE_NUMBER = 0xCD;

    @Override
    public String name() {
        return "hub";
    }

    @Override
    public int cookieNumber() {
        return COOKIE_NUMBER;
    }

    @Override
    public String description() {
        return "example third-party app: floods every packet, like a hub";
    }

    @Override
    public void start(AppContext context) {
        this.context = context;
        this.settings = context.config().bind(Settings.class);
        context.addPacketInProcessor(this::flood);
    }

    /**
     * Runs on the switch's event loop: build the two messages and go, nothing that blocks.
     * {@link OpenFlowMessages} hides where the versions differ (the in-port, the flow's
     * actions), so this code is the same on every version the controller offers.
     */
    private Disposition flood(OFSwitch sw, OFPacketIn packetIn) {
        OFFactory f = sw.factory();
        OFPort inPort = OpenFlowMessages.inPort(packetIn);
        if (inPort == null) {
            return Disposition.CONTINUE;
        }
        List<OFAction> flood = List.of(f.actions().output(OFPort.FLOOD, 0xffff));
        FlowSpec flow = new FlowSpec(context.flows().cookie(), settings.priority(),
                (int) settings.idleTimeout().toSeconds(), 0, OpenFlowMessages.inPortMatch(f, inPort), false);
        sw.write(OpenFlowMessages.flowAdd(f, flow, flood, OFBufferId.NO_BUFFER));
        sw.write(OpenFlowMessages.packetOut(f, packetIn, inPort, flood));
        flooded.increment();
        return Disposition.STOP;
    }

    @Override
    public void stop() {
        log.info("hub flooded {} packets", flooded.sum());
    }
}
