package dev.switchboard.server;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import dev.switchboard.hostnet.HostNetwork;
import dev.switchboard.lab.run.LabRunner;

/** Wiring of the labs: the runner on the host's network, reporting to standard output. */
final class LabsModule extends AbstractModule {

    @Provides
    LabRunner runner() {
        return new LabRunner(new HostNetwork(), System.out);
    }
}
