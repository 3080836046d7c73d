package dev.switchboard.lab.spec;

/** Whether a node of a lab is a host (a namespace) or a switch (a bridge). */
public enum NodeRole {
    HOST,
    SWITCH
}
