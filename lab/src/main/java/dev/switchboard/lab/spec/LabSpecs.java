package dev.switchboard.lab.spec;

import dev.switchboard.lab.yaml.YamlException;
import dev.switchboard.lab.yaml.YamlIssue;
import dev.switchboard.lab.yaml.YamlLimits;
import dev.switchboard.lab.yaml.YamlTree;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Loads lab specs from YAML.
 */
public final class LabSpecs {

    /** Largest lab file read: the limit of every YAML file ({@link YamlLimits}). */
    public static final int MAX_FILE_BYTES = YamlLimits.MAX_FILE_BYTES;

    private LabSpecs() {
    }

    /**
     * Loads a lab from a YAML file. The format, with every key and its default:
     *
     * <pre>{@code
     * name: seed                  # required: [a-z][a-z0-9]{0,5}; prefixes every object (see LabNames)
     * hosts:                      # host name -> settings; {} or nothing for the defaults
     *   net0:
     *     gateway: 10.0.8.254     # default route; IPv4 or IPv6, inside one of the host's subnets
     *     routes:                 # more static routes, in order; to: default means 0.0.0.0/0 or ::/0
     *       - {to: 10.9.0.0/16, via: 10.0.8.253}
     *   net1: {}
     * switches:                   # switch name -> settings
     *   br0: {kind: linux-bridge, stp: false}
     *   s1:
     *     kind: ovs               # ovs (default) | linux-bridge
     *     protocols: [OpenFlow13] # ovs: OpenFlow10..OpenFlow15; default [OpenFlow13]
     *     controller: "tcp:127.0.0.1:6653"  # ovs: tcp:IP[:PORT] (IPv6 in brackets); none: standalone learning
     *     failMode: secure        # ovs: secure | standalone; default secure with a controller, else standalone
     *     datapathId: "0000000000000001"    # ovs: quoted hex, 1..16 digits; default: OVS chooses
     *     stp: false              # both kinds; default false. ovs runs RSTP, linux-bridge the kernel's STP
     * links:                      # in order; the order numbers ports as Mininet does (see Port)
     *   - {a: net0, b: br0, addresses: {net0: [10.0.8.1/24]}}
     *   - a: {node: net1, interface: eth0, addresses: [10.0.8.2/24]}
     *     b: {node: s1, port: 7}
     *     kind: veth              # veth (default) | patch (OVS patch ports, between two ovs switches)
     *     mtu: 9000               # 68..65535; default the kernel's (1500)
     *     rate: 10mbit            # tc units bit, kbit, mbit, gbit, tbit, kibit…; a bare number is Mbit/s
     *     delay: 2ms              # s, ms, us (unit required)
     *     loss: 1                 # percent, 0..100 (1 or "1%")
     *     queue: 100              # packets
     * taps:                       # tap name -> settings: persistent TAP/TUN devices <lab>-<tap> (see Tap)
     *   tap0:
     *     bridge: br0             # the switch it is a port of (linux-bridge or ovs); default: none
     *     mode: tap               # tap (Ethernet, default) | tun (IP packets; cannot be a switch port)
     *     owner: 1000             # uid that may attach without privileges; default: root only
     *     group: 1000             # gid that may attach
     * }</pre>
     *
     * <p>A link end is a node name ({@code a: net0}) or a mapping: {@code node}, and for a
     * host {@code interface} (its name in the namespace; default {@code eth<N>}, N counting
     * the host's links from 0) and {@code addresses} (a list of ADDRESS/LENGTH), for a switch
     * {@code port} (the port number; default the next, counting from 1). A host end's
     * addresses may instead be given on the link, keyed by node name ({@code addresses:
     * {net0: [10.0.8.1/24]}}), but not both. Shaping applies to each direction (Mininet's
     * TCLink), veth links only.
     *
     * <p>Unknown keys, wrong types, missing required keys, duplicate keys, YAML aliases and
     * several documents in one file are errors; so is anything {@link LabSpec} refuses. Each
     * problem reads {@code FILE:LINE: KEY.PATH: message}, in file order. Every problem of the
     * file's keys and values is reported at once; the checks of the lab as a whole (names,
     * references, addresses) run once those are right, and also report all they find.
     *
     * @throws IOException      if the file cannot be read
     * @throws LabSpecException listing every problem in the file, or the one limit of
     *                          {@link YamlLimits} it exceeds (size, line length, nesting)
     */
    public static LabSpec load(Path file) throws IOException {
        return parse(read(file), file.toString());
    }

    /**
     * The text of a lab file, within {@link YamlLimits} (at most {@value #MAX_FILE_BYTES}
     * bytes of UTF-8), for {@link #parse(String, String)}.
     *
     * @throws IOException      if the file cannot be read
     * @throws LabSpecException naming the file and the limit it exceeds
     */
    public static String read(Path file) throws IOException {
        try {
            return YamlLimits.read(file);
        } catch (YamlException e) {
            throw new LabSpecException(file.toString(), List.of(problem(e.issue())));
        }
    }

    /**
     * Parses a lab from YAML text, in the format of {@link #load}; problems name the source
     * {@code <yaml>}.
     *
     * @throws LabSpecException listing every problem
     */
    public static LabSpec parse(String yaml) {
        return parse(yaml, "<yaml>");
    }

    /**
     * Parses a lab from YAML text, in the format of {@link #load}.
     *
     * @param source names the text in problems, e.g. a file name or URL
     * @throws LabSpecException listing every problem
     */
    public static LabSpec parse(String yaml, String source) {
        YamlTree.Document document;
        try {
            document = YamlTree.parse(yaml);
        } catch (YamlException e) {
            throw new LabSpecException(source, List.of(problem(e.issue())));
        }
        return SpecReader.read(source, document.root(), document.issues());
    }

    private static Problem problem(YamlIssue issue) {
        return SpecReader.problem(issue);
    }
}
