package dev.switchboard.controller;

/** A handle on something registered (a listener, a processor); closing it unregisters. */
@FunctionalInterface
public interface Registration extends AutoCloseable {
    @Override
    void close();
}
