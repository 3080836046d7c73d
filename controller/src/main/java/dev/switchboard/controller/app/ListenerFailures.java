package dev.switchboard.controller.app;

import dev.switchboard.controller.ControllerRole;
import dev.switchboard.controller.MessageListener;
import dev.switchboard.controller.OFSwitch;
import dev.switchboard.controller.SwitchError;
import dev.switchboard.controller.SwitchErrorListener;
import dev.switchboard.controller.SwitchListener;
import java.util.concurrent.atomic.LongAdder;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFPortDesc;

/**
 * One app's listener failures: its listeners are wrapped so that an exception is counted for
 * the app and then thrown on, to be logged and skipped by {@code Listeners} as before. The count
 * costs nothing until a listener throws.
 */
final class ListenerFailures {
    private final LongAdder failures = new LongAdder();

    long count() {
        return failures.sum();
    }

    private RuntimeException counted(RuntimeException e) {
        failures.increment();
        return e;
    }

    SwitchListener wrap(SwitchListener listener) {
        return new SwitchListener() {
            @Override
            public void switchAdded(OFSwitch sw) {
                try {
                    listener.switchAdded(sw);
                } catch (RuntimeException e) {
                    throw counted(e);
                }
            }

            @Override
            public void switchRemoved(OFSwitch sw) {
                try {
                    listener.switchRemoved(sw);
                } catch (RuntimeException e) {
                    throw counted(e);
                }
            }

            @Override
            public void switchRoleChanged(OFSwitch sw, ControllerRole role) {
                try {
                    listener.switchRoleChanged(sw, role);
                } catch (RuntimeException e) {
                    throw counted(e);
                }
            }

            @Override
            public void portAdded(OFSwitch sw, OFPortDesc port) {
                try {
                    listener.portAdded(sw, port);
                } catch (RuntimeException e) {
                    throw counted(e);
                }
            }

            @Override
            public void portChanged(OFSwitch sw, OFPortDesc before, OFPortDesc after) {
                try {
                    listener.portChanged(sw, before, after);
                } catch (RuntimeException e) {
                    throw counted(e);
                }
            }

            @Override
            public void portRemoved(OFSwitch sw, OFPortDesc port) {
                try {
                    listener.portRemoved(sw, port);
                } catch (RuntimeException e) {
                    throw counted(e);
                }
            }

            @Override
            public String toString() {
                return listener.toString();
            }
        };
    }

    SwitchErrorListener wrap(SwitchErrorListener listener) {
        return new SwitchErrorListener() {
            @Override
            public void switchError(OFSwitch sw, SwitchError error) {
                try {
                    listener.switchError(sw, error);
                } catch (RuntimeException e) {
                    throw counted(e);
                }
            }

            @Override
            public String toString() {
                return listener.toString();
            }
        };
    }

    MessageListener wrap(MessageListener listener) {
        return new MessageListener() {
            @Override
            public void receive(OFSwitch sw, OFMessage message) {
                try {
                    listener.receive(sw, message);
                } catch (RuntimeException e) {
                    throw counted(e);
                }
            }

            @Override
            public String toString() {
                return listener.toString();
            }
        };
    }
}
