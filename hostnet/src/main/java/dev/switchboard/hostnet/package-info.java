/** Linux host networking over iproute2; see HostNetwork. */
package dev.switchboard.hostnet;
