package dev.switchboard.rest;

/**
 * What the API changes besides switches: the apps, the OVSDB servers the controller manages and
 * the labs on this machine. A null part is not offered by this server: its routes answer 409.
 */
public record RestControls(AppControl apps, OvsdbAccess ovsdb, LabControl labs) {

    public static RestControls none() {
        return new RestControls(null, null, null);
    }
}
