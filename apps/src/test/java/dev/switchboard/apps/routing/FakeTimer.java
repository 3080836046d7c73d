package dev.switchboard.apps.routing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A timer driven by a fake clock: tasks run on the test's thread when {@link #advance} moves the
 * clock past their time, never on their own. Only one-shot {@code schedule(Runnable…)} is
 * offered, which is all the code under test uses; after {@link #shutdownNow} it refuses tasks as
 * a real executor does.
 */
final class FakeTimer extends AbstractExecutorService implements ScheduledExecutorService {

    private record Task(long dueNanos, long order, Runnable action) {
    }

    private final AtomicLong nanos;
    private final List<Task> tasks = new ArrayList<>();
    private long scheduled;
    private boolean shut;

    /** @param nanos the fake clock, shared with the code under test */
    FakeTimer(AtomicLong nanos) {
        this.nanos = nanos;
    }

    /** Moves the clock on by {@code by} and runs, in time order, every task that has come due. */
    void advance(Duration by) {
        long now = nanos.addAndGet(by.toNanos());
        while (true) {
            Task next;
            synchronized (this) {
                next = tasks.stream().filter(t -> t.dueNanos() - now <= 0)
                        .min(Comparator.comparingLong(Task::dueNanos).thenComparingLong(Task::order)).orElse(null);
                if (next == null) {
                    return;
                }
                tasks.remove(next);
            }
            next.action().run();
        }
    }

    @Override
    public synchronized ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        if (shut) {
            throw new RejectedExecutionException("timer shut down");
        }
        tasks.add(new Task(nanos.get() + unit.toNanos(delay), scheduled++, command));
        return null; // the code under test does not keep it
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void execute(Runnable command) {
        schedule(command, 0, TimeUnit.NANOSECONDS);
    }

    @Override
    public synchronized void shutdown() {
        shut = true;
    }

    @Override
    public synchronized List<Runnable> shutdownNow() {
        shut = true;
        List<Runnable> left = tasks.stream().map(Task::action).toList();
        tasks.clear();
        return left;
    }

    @Override
    public synchronized boolean isShutdown() {
        return shut;
    }

    @Override
    public synchronized boolean isTerminated() {
        return shut;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return isTerminated();
    }
}
