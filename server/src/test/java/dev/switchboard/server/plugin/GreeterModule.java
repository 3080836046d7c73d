package dev.switchboard.server.plugin;

import com.google.inject.AbstractModule;

/** The Guice module the test plug-in contributes through ServiceLoader. */
public final class GreeterModule extends AbstractModule {
    @Override
    protected void configure() {
        bind(GreeterApp.Greeting.class).toInstance(new GreeterApp.Greeting("hello from the plug-in's module"));
    }
}
