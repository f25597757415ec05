package dev.qrauth.tokenserver.device;

/** The PIN rules: at least five digits, not all one digit, not a straight run up or down. */
final class Pins {

    static final int MIN_LENGTH = 5;
    static final int MAX_LENGTH = 32;

    private Pins() {
    }

    /** Why {@code pin} is not allowed, or null when it is. */
    static String problem(String pin) {
        if (pin == null || pin.length() < MIN_LENGTH || pin.length() > MAX_LENGTH) {
            return "The PIN must have " + MIN_LENGTH + " to " + MAX_LENGTH + " digits";
        }
        for (int i = 0; i < pin.length(); i++) {
            if (pin.charAt(i) < '0' || pin.charAt(i) > '9') {
                return "The PIN must consist of digits only";
            }
        }
        if (hasConstantStep(pin, 0)) {
            return "The PIN must not be one digit repeated";
        }
        if (hasConstantStep(pin, 1) || hasConstantStep(pin, -1)) {
            return "The PIN must not be a straight sequence";
        }
        return null;
    }

    private static boolean hasConstantStep(String pin, int step) {
        for (int i = 1; i < pin.length(); i++) {
            if (pin.charAt(i) - pin.charAt(i - 1) != step) {
                return false;
            }
        }
        return true;
    }
}
