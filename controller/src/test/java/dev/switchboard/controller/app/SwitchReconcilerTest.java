package dev.switchboard.controller.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.controller.OFSwitch;
import dev.switchboard.controller.SwitchListener;
import dev.switchboard.controller.SwitchService;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.types.DatapathId;

/**
 * The reconciler's announcements across threads, with a switch whose replies the test gives
 * (a state machine, so a stand-in switch rather than an emulated one).
 */
class SwitchReconcilerTest {

    /** A connected switch whose flow-stats read completes when the test says. */
    private static OFSwitch heldSwitch(CompletableFuture<List<Object>> read) {
        return (OFSwitch) Proxy.newProxyInstance(OFSwitch.class.getClassLoader(), new Class<?>[] {OFSwitch.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "id" -> DatapathId.of(5);
                    case "factory" -> OFFactories.getFactory(OFVersion.OF_13);
                    case "isConnected" -> true;
                    case "controllerRole" -> dev.switchboard.controller.ControllerRole.EQUAL;
                    case "requestStats" -> read;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "held switch";
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private static SwitchService noSwitches() {
        return (SwitchService) Proxy.newProxyInstance(SwitchService.class.getClassLoader(), new Class<?>[] {SwitchService.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "switches" -> List.of();
                    case "getSwitch" -> Optional.empty();
                    default -> (dev.switchboard.controller.Registration) () -> { };
                });
    }

    /**
     * A switch removed (from another event loop, as a replaced connection is) while its apps are
     * still hearing switchAdded: the removal does not wait for them, and they hear switchRemoved
     * once switchAdded is done, never before. The old reconciler held the connection's monitor
     * through switchAdded, so the removing loop blocked.
     */
    @Test
    void aRemovalDuringTheAnnouncementNeitherWaitsNorOvertakesIt() throws Exception {
        SwitchReconciler reconciler = new SwitchReconciler(noSwitches());
        List<String> heard = new CopyOnWriteArrayList<>();
        CountDownLatch announcing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        reconciler.addSwitchListener(new SwitchListener() {
            @Override
            public void switchAdded(OFSwitch sw) {
                heard.add("added");
                announcing.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                heard.add("added done");
            }

            @Override
            public void switchRemoved(OFSwitch sw) {
                heard.add("removed");
            }
        });
        reconciler.arm();
        CompletableFuture<List<Object>> read = new CompletableFuture<>();
        OFSwitch sw = heldSwitch(read);
        reconciler.switchAdded(sw);
        assertThat(reconciler.serves(sw)).isFalse();

        Thread announcer = new Thread(() -> read.complete(List.of()), "announcer");
        announcer.start();
        assertThat(announcing.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Void> removal = CompletableFuture.runAsync(() -> reconciler.switchRemoved(sw));
        await().atMost(Duration.ofSeconds(5)).until(removal::isDone);
        assertThat(heard).containsExactly("added");
        assertThat(reconciler.isServed(sw)).isFalse();

        release.countDown();
        announcer.join(10_000);
        assertThat(heard).containsExactly("added", "added done", "removed");
    }

    /** A switch that goes before it was reconciled is never announced, and so never removed. */
    @Test
    void aSwitchGoneBeforeItWasReconciledIsNeitherAddedNorRemoved() {
        SwitchReconciler reconciler = new SwitchReconciler(noSwitches());
        List<String> heard = new CopyOnWriteArrayList<>();
        reconciler.addSwitchListener(new SwitchListener() {
            @Override
            public void switchAdded(OFSwitch sw) {
                heard.add("added");
            }

            @Override
            public void switchRemoved(OFSwitch sw) {
                heard.add("removed");
            }
        });
        reconciler.arm();
        CompletableFuture<List<Object>> read = new CompletableFuture<>();
        OFSwitch sw = heldSwitch(read);
        reconciler.switchAdded(sw);
        reconciler.switchRemoved(sw);
        read.complete(List.of());
        assertThat(heard).isEmpty();
        assertThat(reconciler.serves(sw)).isTrue(); // nothing pending any more: the gate is open again
        assertThat(reconciler.isServed(sw)).isFalse();
    }
}
