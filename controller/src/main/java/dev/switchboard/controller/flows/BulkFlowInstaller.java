package dev.switchboard.controller.flows;

import dev.switchboard.controller.OFSwitch;
import dev.switchboard.controller.Registration;
import dev.switchboard.controller.SwitchBusyException;
import dev.switchboard.controller.SwitchDisconnectedException;
import dev.switchboard.controller.SwitchError;
import dev.switchboard.controller.SwitchErrorException;
import dev.switchboard.controller.SwitchService;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.projectfloodlight.openflow.protocol.OFBundleCtrlMsg;
import org.projectfloodlight.openflow.protocol.OFBundleCtrlType;
import org.projectfloodlight.openflow.protocol.OFBundleFlags;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFlowMod;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.types.BundleId;

/**
 * Installs many flows on one switch at once and tells which ones failed.
 *
 * <ul>
 *   <li>OpenFlow 1.4 and later: one atomic, ordered bundle (OPEN, an ADD_MESSAGE per flow,
 *       COMMIT). Open vSwitch commits a bundle atomically: if one flow fails, the whole bundle
 *       is rolled back, so the result names the failed flow and installs none.</li>
 *   <li>OpenFlow 1.0–1.3: batches of flow-mods, each followed by a BARRIER. A refused flow-mod
 *       comes back as an ERROR carrying its xid, which maps back to its input index; the others
 *       stay installed.</li>
 * </ul>
 *
 * <p>Pacing: a batch is written only when the switch's outbound budget takes all of it
 * ({@link OFSwitch#tryWriteAll}), else it is tried again a moment later; at most
 * {@link Options#batchesInFlight} batches wait for their BARRIER reply. Nothing here waits:
 * each step is a {@link CompletableFuture} continuation on the given executor, never on the
 * switch's event loop (whose writes during a read burst would bypass the budget).
 *
 * <p>Safe to use from any thread; several installs may run at once (on different switches, or
 * on one switch, in which case their flows interleave). Each install hears only the ERRORs of its
 * own connection that name its own xids or (a BUNDLE_FAILED) its own bundle; bundle ids come from
 * the connection ({@link OFSwitch#nextBundleId}), so neither two installers nor an installer made
 * anew (an API restarted) reuse one on the same connection. An install that fails after its
 * bundle was opened DISCARDs the bundle before it reports the failure.
 */
public final class BulkFlowInstaller {

    /**
     * @param batchSize       flow-mods (or bundle ADD_MESSAGEs) per BARRIER; 256 flows are
     *                        about 30–40 KiB, well inside the default 1 MiB peer budget
     * @param batchesInFlight batches written and not yet answered by their BARRIER reply
     * @param answerTimeout   how long one BARRIER or bundle control request may wait for its reply
     * @param busyRetry       how long to wait before trying again a write the budget refused
     * @param busyGiveUp      how long a batch may keep being refused before the install fails with
     *                        {@link SwitchBusyException}
     */
    public record Options(int batchSize, int batchesInFlight, Duration answerTimeout, Duration busyRetry, Duration busyGiveUp) {
        public static final Options DEFAULTS =
                new Options(256, 4, Duration.ofSeconds(60), Duration.ofMillis(2), Duration.ofSeconds(30));

        public Options {
            if (batchSize < 1 || batchesInFlight < 1) {
                throw new IllegalArgumentException("batchSize and batchesInFlight must be positive");
            }
            Objects.requireNonNull(answerTimeout, "answerTimeout");
            Objects.requireNonNull(busyRetry, "busyRetry");
            Objects.requireNonNull(busyGiveUp, "busyGiveUp");
        }
    }

    private static final Set<OFBundleFlags> BUNDLE_FLAGS = EnumSet.of(OFBundleFlags.ATOMIC, OFBundleFlags.ORDERED);
    /** OFPBF_ATOMIC | OFPBF_ORDERED on the wire. */
    private static final int BUNDLE_FLAG_BITS = 0x1 | 0x2;
    /** OFPT_BUNDLE_CONTROL and OFPT_BUNDLE_ADD_MESSAGE (1.4, 1.5): an echoed one names its bundle at byte 8. */
    private static final int BUNDLE_CONTROL_TYPE = 33;
    private static final int BUNDLE_ADD_TYPE = 34;
    /** How long a DISCARD sent after a failure may wait: the failure is what the caller hears anyway. */
    private static final Duration DISCARD_TIMEOUT = Duration.ofSeconds(5);

    private final SwitchService switches;
    private final Executor executor;
    private final Options options;

    /**
     * @param switches where the switches' ERRORs are heard
     * @param executor runs the continuations; must not be a switch's event loop
     */
    public BulkFlowInstaller(SwitchService switches, Executor executor, Options options) {
        this.switches = Objects.requireNonNull(switches, "switches");
        this.executor = Objects.requireNonNull(executor, "executor");
        this.options = Objects.requireNonNull(options, "options");
    }

    /**
     * Sends {@code flows} (built with the switch's factory; their xids are replaced) and completes
     * when the switch has answered for all of them. Completes exceptionally with
     * {@link SwitchDisconnectedException} if the switch goes away, {@link SwitchBusyException}
     * if it stops taking messages, a {@link java.util.concurrent.TimeoutException}, or an
     * {@link IllegalArgumentException} for a flow of another version or one openflowj cannot
     * encode (then nothing is installed).
     */
    public CompletableFuture<BulkFlowResult> install(OFSwitch sw, List<? extends OFFlowMod> flows) {
        BulkFlowUpload upload;
        try {
            upload = upload(sw);
        } catch (UnsupportedOperationException e) {
            return CompletableFuture.failedFuture(e);
        }
        try {
            for (OFFlowMod flow : flows) {
                upload.add(flow);
            }
        } catch (IllegalArgumentException e) {
            upload.abort(e);
            return upload.result();
        }
        upload.finish();
        return upload.result();
    }

    /**
     * Starts an install whose flows are handed over while they are read ({@link BulkFlowUpload}):
     * with a bundle (OpenFlow 1.4+), the bundle opens and its ADD_MESSAGEs leave as soon as the
     * first batch is full; with batches, nothing is sent before {@link BulkFlowUpload#finish}.
     * {@link BulkFlowUpload#result()} completes as {@link #install}'s future does.
     *
     * @throws UnsupportedOperationException from a switch that hands out no bundle ids
     */
    public BulkFlowUpload upload(OFSwitch sw) {
        boolean bundle = sw.version().compareTo(OFVersion.OF_14) >= 0;
        // the connection hands ids out: OVS keeps bundles per connection, whoever opens them
        int bundleId = bundle ? sw.nextBundleId() : 0;
        BulkFlowUpload upload = new BulkFlowUpload(sw.factory(), bundle, bundleId, BUNDLE_FLAG_BITS, options.batchSize());
        Install run = new Install(sw, upload, bundle, bundleId);
        CompletableFuture<BulkFlowResult> done = (bundle ? upload.started() : upload.ended())
                .handleAsync((ready, failure) -> run.start(), executor)
                .thenCompose(started -> started)
                .whenComplete((result, failure) -> run.registration.close());
        done.whenComplete((result, failure) -> upload.complete(result, failure == null ? null : unwrap(failure)));
        return upload;
    }

    /** One install: its xids, the errors heard for them, and its steps. */
    private final class Install {
        private final OFSwitch sw;
        private final OFFactory factory;
        private final BulkFlowUpload upload;
        private final boolean bundle;
        private final BundleId bundleId;
        private final Map<Integer, FlowFailure> failures = new ConcurrentHashMap<>();
        private final Deque<CompletableFuture<?>> inFlight = new ArrayDeque<>();
        private volatile Registration registration = () -> { };
        /**
         * A BUNDLE_FAILED error that names none of our xids but our bundle; written on the event
         * loop, read after the barriers.
         */
        private volatile String unmatchedBundleError;
        private long startNanos;
        /** When the COMMIT was sent and answered; 0 until then. Written and read on the executor's continuations, in order. */
        private long commitNanos;
        private long committedNanos;

        Install(OFSwitch sw, BulkFlowUpload upload, boolean bundle, int bundleId) {
            this.sw = sw;
            this.factory = sw.factory();
            this.upload = upload;
            this.bundle = bundle;
            this.bundleId = bundle ? BundleId.of(bundleId) : null;
        }

        /** Once there is something to send (with batches: once everything was read). */
        CompletableFuture<BulkFlowResult> start() {
            // fails at once when the upload was aborted before anything was sent
            return upload.next().thenComposeAsync(first -> first == null
                    ? CompletableFuture.completedFuture(result(0, Optional.empty())) // no flows at all
                    : startWith(first), executor);
        }

        private CompletableFuture<BulkFlowResult> startWith(EncodedBatch firstBatch) {
            registration = switches.addErrorListener(this::heard);
            startNanos = System.nanoTime();
            if (!bundle) {
                return send(firstBatch).thenApply(done -> result(upload.total() - failures.size(), Optional.empty()));
            }
            CompletableFuture<OFBundleCtrlMsg> open = control(OFBundleCtrlType.OPEN_REQUEST, options.answerTimeout());
            return open
                    .thenComposeAsync(opened -> send(firstBatch), executor)
                    .thenComposeAsync(added -> failures.isEmpty() && unmatchedBundleError == null ? commit() : discard(), executor)
                    .handleAsync((result, failure) -> failure == null ? CompletableFuture.completedFuture(result)
                            : discardAfter(failure, open.isCompletedExceptionally()), executor)
                    .thenCompose(next -> next);
        }

        /**
         * The install failed while the bundle may be open (a write refused for too long, a BARRIER
         * or the COMMIT unanswered): DISCARD it, so the switch does not keep it and its staged
         * flows for as long as the connection lasts, then fail with the original cause. Not when
         * the connection is gone (the switch dropped its bundles with it) or the OPEN was refused
         * (no bundle was opened).
         */
        private CompletableFuture<BulkFlowResult> discardAfter(Throwable failure, boolean openFailed) {
            Throwable cause = unwrap(failure);
            // when the OPEN failed, the stages after it were skipped: the failure is the OPEN's
            boolean openRefused = openFailed && cause instanceof SwitchErrorException;
            if (openRefused || cause instanceof SwitchDisconnectedException || !sw.isConnected()) {
                return CompletableFuture.failedFuture(cause);
            }
            Duration wait = options.answerTimeout().compareTo(DISCARD_TIMEOUT) < 0 ? options.answerTimeout() : DISCARD_TIMEOUT;
            return control(OFBundleCtrlType.DISCARD_REQUEST, wait)
                    .handle((reply, discardFailure) -> null)
                    .thenCompose(discarded -> CompletableFuture.failedFuture(cause));
        }

        /** On the switch's event loop: must stay short. */
        private void heard(OFSwitch from, SwitchError error) {
            if (from != sw) {
                return; // another connection, perhaps of the same datapath: its xids and bundles are not ours
            }
            int index = upload.indexOf(error.xid());
            if (index >= 0) {
                // the text is looked up when the result is made, off the event loop
                failures.putIfAbsent(index, new FlowFailure(index, error.type(), error.code(), ""));
            } else if (bundle && unmatchedBundleError == null && error.type().equals("BUNDLE_FAILED") && namesOurBundle(error)) {
                // an ADD_MESSAGE the switch could not even read the xid of: the bundle must not be committed
                unmatchedBundleError = error.toString();
            }
        }

        /**
         * Whether the message the error echoes (OpenFlow echoes at least its first 64 bytes) is a
         * bundle message of our bundle: another install's bundle on this connection fails that
         * install, not this one. Read from the bytes, since openflowj may not parse them (1.5).
         */
        private boolean namesOurBundle(SwitchError error) {
            byte[] echoed;
            try {
                echoed = error.message().getData().getData();
            } catch (RuntimeException e) {
                return false;
            }
            if (echoed.length < 12) {
                return false;
            }
            int type = echoed[1] & 0xff;
            int id = ((echoed[8] & 0xff) << 24) | ((echoed[9] & 0xff) << 16) | ((echoed[10] & 0xff) << 8) | (echoed[11] & 0xff);
            return (type == BUNDLE_CONTROL_TYPE || type == BUNDLE_ADD_TYPE) && id == bundleId.getInt();
        }

        /** Writes {@code batch} and then the batches after it as they come, keeping at most batchesInFlight unanswered. */
        private CompletableFuture<Void> send(EncodedBatch batch) {
            if (batch == null) {
                return CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new));
            }
            if (inFlight.size() >= options.batchesInFlight()) {
                return inFlight.poll().thenComposeAsync(answered -> send(batch), executor);
            }
            return writeWhenAdmitted(batch.messages(), System.nanoTime())
                    .thenComposeAsync(written -> {
                        inFlight.add(barrierWhenAdmitted(System.nanoTime()));
                        return upload.next();
                    }, executor)
                    .thenComposeAsync(this::send, executor);
        }

        private CompletableFuture<Void> writeWhenAdmitted(List<OFMessage> batch, long firstTry) {
            if (!sw.isConnected()) {
                return CompletableFuture.failedFuture(new SwitchDisconnectedException("switch " + sw.id() + " disconnected"));
            }
            if (sw.tryWriteAll(batch)) {
                return CompletableFuture.completedFuture(null);
            }
            if (System.nanoTime() - firstTry > options.busyGiveUp().toNanos()) {
                return CompletableFuture.failedFuture(new SwitchBusyException(
                        "switch " + sw.id() + " took no flows for " + options.busyGiveUp()));
            }
            return later().thenCompose(again -> writeWhenAdmitted(batch, firstTry));
        }

        private CompletableFuture<?> barrierWhenAdmitted(long firstTry) {
            return sw.request(factory.buildBarrierRequest().build(), options.answerTimeout())
                    .handle((reply, failure) -> {
                        if (failure == null) {
                            return CompletableFuture.completedFuture(reply);
                        }
                        if (unwrap(failure) instanceof SwitchBusyException
                                && System.nanoTime() - firstTry <= options.busyGiveUp().toNanos()) {
                            return later().thenCompose(again -> barrierWhenAdmitted(firstTry));
                        }
                        return CompletableFuture.failedFuture(unwrap(failure));
                    })
                    .thenCompose(next -> next);
        }

        private CompletableFuture<Void> later() {
            return CompletableFuture.runAsync(() -> { },
                    CompletableFuture.delayedExecutor(options.busyRetry().toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS, executor));
        }

        private CompletableFuture<OFBundleCtrlMsg> control(OFBundleCtrlType type, Duration timeout) {
            return sw.request(factory.buildBundleCtrlMsg()
                    .setBundleId(bundleId)
                    .setBundleCtrlType(type)
                    .setFlags(BUNDLE_FLAGS)
                    .setProperties(List.of())
                    .build(), timeout);
        }

        private CompletableFuture<BulkFlowResult> commit() {
            commitNanos = System.nanoTime();
            return control(OFBundleCtrlType.COMMIT_REQUEST, options.answerTimeout()).handle((reply, failure) -> {
                committedNanos = System.nanoTime();
                if (failure == null) {
                    return result(upload.total(), Optional.empty());
                }
                if (unwrap(failure) instanceof SwitchErrorException refused) {
                    // the failed flow's own ERROR came before the commit's, so it is in failures
                    return result(0, Optional.of("commit refused (" + refused.getMessage()
                            + "): the bundle was rolled back, none of its " + upload.total() + " flows is installed"));
                }
                throw new CompletionException(unwrap(failure));
            });
        }

        private CompletableFuture<BulkFlowResult> discard() {
            String why = (failures.isEmpty() ? "the switch refused an ADD_MESSAGE (" + unmatchedBundleError + ")"
                    : failures.size() + " of " + upload.total() + " flows were refused when added to the bundle")
                    + ": it was discarded, none is installed";
            return control(OFBundleCtrlType.DISCARD_REQUEST, options.answerTimeout())
                    .handle((reply, failure) -> result(0, Optional.of(why)));
        }

        private BulkFlowResult result(int installed, Optional<String> bundleError) {
            List<FlowFailure> sorted = new ArrayList<>(failures.size());
            for (FlowFailure failure : failures.values()) {
                sorted.add(new FlowFailure(failure.index(), failure.type(), failure.code(), upload.text(failure.index())));
            }
            sorted.sort(Comparator.comparingInt(FlowFailure::index));
            return new BulkFlowResult(
                    bundle ? BulkFlowResult.Method.BUNDLE : BulkFlowResult.Method.BARRIER_BATCHES,
                    upload.total(), installed, sorted, bundleError, Duration.ofNanos(System.nanoTime() - startNanos),
                    committedNanos == 0 ? Optional.empty() : Optional.of(Duration.ofNanos(committedNanos - commitNanos)));
        }
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
