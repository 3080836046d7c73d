package dev.switchboard.rest;

import dev.switchboard.controller.OFSwitch;
import dev.switchboard.controller.Registration;
import dev.switchboard.controller.SwitchError;
import dev.switchboard.controller.SwitchListener;
import dev.switchboard.hosts.Host;
import dev.switchboard.hosts.HostListener;
import dev.switchboard.hosts.HostService;
import dev.switchboard.rest.EventData.HostEvent;
import dev.switchboard.rest.EventData.LinkEvent;
import dev.switchboard.rest.EventData.PortEvent;
import dev.switchboard.rest.EventData.SwitchErrorEvent;
import dev.switchboard.rest.EventData.SwitchEvent;
import dev.switchboard.topology.Link;
import dev.switchboard.topology.TopologyEvent;
import dev.switchboard.topology.TopologyService;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import org.projectfloodlight.openflow.protocol.OFPortDesc;

/**
 * Turns the controller's and apps' listener calls into journal entries. Every callback only
 * builds a small immutable view and appends it (lock-free): it runs on switches' event loops,
 * the topology writer or the hosts app's threads, which must never wait for an HTTP client.
 *
 * <p>The topology and hosts services are followed as the running apps publish them: those running
 * when the API starts (it starts after the apps), and again each time apps are enabled or disabled
 * at run time ({@link AppCatalog#addChangeListener}), so an app enabled over the API later has its
 * link and host events in the stream too.
 */
final class EventFeed implements AutoCloseable {
    private final EventJournal journal;
    private final RestSources sources;
    private final List<Registration> registrations = new ArrayList<>();
    /** Guards the followed services below; taken only by {@link #follow} and {@link #close}, never on an event loop. */
    private final Object following = new Object();
    private Followed<TopologyService> topology = Followed.none();
    private Followed<HostService> hosts = Followed.none();
    private boolean closed;

    /** A service listened to, by identity (the app runtime hands out one view per publication), and its registration. */
    private record Followed<S>(S service, Registration registration) {
        static <S> Followed<S> none() {
            return new Followed<>(null, () -> { });
        }
    }

    private EventFeed(EventJournal journal, RestSources sources) {
        this.journal = journal;
        this.sources = sources;
    }

    static EventFeed attach(EventJournal journal, RestSources sources) {
        EventFeed feed = new EventFeed(journal, sources);
        feed.registrations.add(sources.switches().addSwitchListener(feed.new Switches()));
        feed.registrations.add(sources.switches().addErrorListener(feed::switchError));
        feed.registrations.add(sources.apps().addChangeListener(feed::follow));
        feed.follow();
        return feed;
    }

    /**
     * Listens to the topology and hosts services the running apps publish now: a service that is
     * new (its app enabled, or stopped and started again) is registered on, one gone is let go,
     * one that stayed keeps its registration (no event lost in between). Runs on the thread that
     * started the API or changed the apps.
     */
    private void follow() {
        synchronized (following) {
            if (closed) {
                return;
            }
            topology = refollow(topology, sources.topology().get().orElse(null), t -> t.addListener(this::topologyChanged));
            hosts = refollow(hosts, sources.hosts().get().orElse(null), h -> h.addListener(new Hosts()));
        }
    }

    private static <S> Followed<S> refollow(Followed<S> before, S now, Function<S, Registration> listen) {
        if (now == before.service()) {
            return before;
        }
        before.registration().close();
        return now == null ? Followed.none() : new Followed<>(now, listen.apply(now));
    }

    private final class Switches implements SwitchListener {
        @Override
        public void switchAdded(OFSwitch sw) {
            journal.append("switch.connected", switchEvent(sw));
        }

        @Override
        public void switchRemoved(OFSwitch sw) {
            journal.append("switch.disconnected", switchEvent(sw));
        }

        @Override
        public void portAdded(OFSwitch sw, OFPortDesc port) {
            journal.append("port.added", new PortEvent(sw.id().toString(), Views.portView(port), null));
        }

        @Override
        public void portChanged(OFSwitch sw, OFPortDesc before, OFPortDesc after) {
            journal.append("port.changed", new PortEvent(sw.id().toString(), Views.portView(after), Views.portView(before)));
        }

        @Override
        public void portRemoved(OFSwitch sw, OFPortDesc port) {
            journal.append("port.removed", new PortEvent(sw.id().toString(), Views.portView(port), null));
        }
    }

    private static SwitchEvent switchEvent(OFSwitch sw) {
        return new SwitchEvent(sw.id().toString(), Views.versionName(sw.version()),
                sw.remoteAddress() == null ? null : sw.remoteAddress().getHostString() + ":" + sw.remoteAddress().getPort());
    }

    private void switchError(OFSwitch sw, SwitchError error) {
        journal.append("switch.error", new SwitchErrorEvent(sw.id().toString(), error.type(), error.code(),
                error.cause().map(c -> c.getType() + " xid=" + c.getXid()).orElse(null)));
    }

    private void topologyChanged(TopologyEvent event) {
        // removals first: a link that moved reads as gone, then new
        Comparator<Link> order = Comparator.comparing(Link::toString);
        event.linksRemoved().stream().sorted(order)
                .forEach(l -> journal.append("link.removed", new LinkEvent(Views.linkView(l))));
        event.linksAdded().stream().sorted(order)
                .forEach(l -> journal.append("link.added", new LinkEvent(Views.linkView(l))));
    }

    private final class Hosts implements HostListener {
        @Override
        public void hostAdded(Host host) {
            journal.append("host.added", new HostEvent(Views.hostView(host), null));
        }

        @Override
        public void hostMoved(Host before, Host after) {
            journal.append("host.moved", new HostEvent(Views.hostView(after), Views.hostView(before)));
        }

        @Override
        public void hostUpdated(Host before, Host after) {
            journal.append("host.updated", new HostEvent(Views.hostView(after), Views.hostView(before)));
        }

        @Override
        public void hostRemoved(Host host) {
            journal.append("host.removed", new HostEvent(Views.hostView(host), null));
        }
    }

    @Override
    public void close() {
        registrations.forEach(Registration::close);
        synchronized (following) {
            closed = true;
            topology.registration().close();
            hosts.registration().close();
        }
    }
}
