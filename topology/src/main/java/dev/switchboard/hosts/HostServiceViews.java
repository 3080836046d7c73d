package dev.switchboard.hosts;

import dev.switchboard.controller.Registration;
import dev.switchboard.controller.app.Registrations;
import dev.switchboard.controller.app.ServiceViews;
import java.util.Collection;
import java.util.Optional;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.IPv6Address;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.VlanVid;

/**
 * One consuming app's view of a host service: queries go straight to the service (they sit
 * on the packet path), listeners are handed to the consumer's registrations so they go when
 * it stops. Publish with {@code context.publishViews(HostService.class, HostServiceViews.of(hosts))}.
 */
public final class HostServiceViews implements HostService {
    private final HostService hosts;
    private final Registrations consumer;

    private HostServiceViews(HostService hosts, Registrations consumer) {
        this.hosts = hosts;
        this.consumer = consumer;
    }

    /** Each consumer's view of {@code hosts}. */
    public static ServiceViews<HostService> of(HostService hosts) {
        return consumer -> new HostServiceViews(hosts, consumer);
    }

    @Override
    public Collection<Host> hosts() {
        return hosts.hosts();
    }

    @Override
    public Optional<Host> host(MacAddress mac, VlanVid vlan) {
        return hosts.host(mac, vlan);
    }

    @Override
    public Optional<Host> host(MacAddress mac) {
        return hosts.host(mac);
    }

    @Override
    public Optional<Host> hostWithIp(IPv4Address ip) {
        return hosts.hostWithIp(ip);
    }

    @Override
    public Optional<Host> hostWithIp(IPv6Address ip) {
        return hosts.hostWithIp(ip);
    }

    @Override
    public Registration addListener(HostListener listener) {
        return consumer.track(hosts.addListener(listener));
    }
}
