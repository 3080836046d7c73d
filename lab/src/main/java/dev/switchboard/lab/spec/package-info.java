/**
 * What a lab is, as data: the {@link dev.switchboard.lab.spec.LabSpec} of hosts, switches
 * and links; its YAML form ({@link dev.switchboard.lab.spec.LabSpecs#load}); Mininet's
 * built-in topologies by name ({@link dev.switchboard.lab.spec.Topologies#parse}); the
 * kernel and OVS names every lab object gets ({@link dev.switchboard.lab.spec.LabNames});
 * and the port numbering ({@link dev.switchboard.lab.spec.LabSpec#wiring()}) a runtime
 * follows. Pure code: nothing here touches the kernel or OVS. Every value is immutable and
 * a {@code LabSpec} is valid once constructed.
 */
package dev.switchboard.lab.spec;
