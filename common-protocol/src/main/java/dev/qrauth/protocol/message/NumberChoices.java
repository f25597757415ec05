package dev.qrauth.protocol.message;

import java.util.HashSet;
import java.util.List;

/**
 * The numbers a number-matching request offers on the phone: exactly {@value #COUNT} distinct
 * two-digit numbers, one of which the browser shows.
 */
public final class NumberChoices {

    public static final int COUNT = 3;
    public static final int MIN = 10;
    public static final int MAX = 99;

    private NumberChoices() {
    }

    static List<Integer> check(List<Integer> choices) {
        if (choices == null) {
            return null;
        }
        if (choices.size() != COUNT || new HashSet<>(choices).size() != COUNT) {
            throw new IllegalArgumentException("number_choices must be " + COUNT + " distinct numbers");
        }
        for (Integer choice : choices) {
            if (choice == null || !isValid(choice)) {
                throw new IllegalArgumentException("number_choices must lie in " + MIN + ".." + MAX);
            }
        }
        return List.copyOf(choices);
    }

    public static boolean isValid(int number) {
        return number >= MIN && number <= MAX;
    }
}
