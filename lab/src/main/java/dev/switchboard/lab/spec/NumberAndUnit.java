package dev.switchboard.lab.spec;

import java.util.Locale;

/** A tc quantity such as {@code 10mbit} or {@code 2.5ms}, split into its digits and its lower-case unit. */
record NumberAndUnit(String number, String unit) {

    static NumberAndUnit split(String text) {
        String lower = text.strip().toLowerCase(Locale.ROOT);
        int unitStart = 0;
        while (unitStart < lower.length() && (Character.isDigit(lower.charAt(unitStart)) || lower.charAt(unitStart) == '.')) {
            unitStart++;
        }
        return new NumberAndUnit(lower.substring(0, unitStart), lower.substring(unitStart));
    }
}
