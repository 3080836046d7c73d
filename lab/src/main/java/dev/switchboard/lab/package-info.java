/** Labs: specs, Mininet-named topologies, bringing them up and down. */
package dev.switchboard.lab;
