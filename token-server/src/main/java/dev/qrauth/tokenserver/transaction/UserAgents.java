package dev.qrauth.tokenserver.transaction;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names the browser and operating system in a {@code User-Agent}, for the phone to show
 * ("Firefox 140 on Linux"). A rough reading on purpose: it is shown to a person, never used for
 * a decision, and an unknown agent is simply not named.
 */
final class UserAgents {

    record Description(String browser, String operatingSystem) {
    }

    private static final Pattern[] BROWSERS = {
            Pattern.compile("(Edg)/(\\d+)"),
            Pattern.compile("(OPR)/(\\d+)"),
            Pattern.compile("(Firefox)/(\\d+)"),
            Pattern.compile("(Chromium)/(\\d+)"),
            Pattern.compile("(Chrome)/(\\d+)"),
            Pattern.compile("Version/(\\d+)[.\\d]* (?:Mobile/\\S+ )?(Safari)/"),
    };

    private UserAgents() {
    }

    static Description describe(String userAgent) {
        if (userAgent == null || userAgent.isBlank()) {
            return new Description(null, null);
        }
        return new Description(browser(userAgent), operatingSystem(userAgent));
    }

    private static String browser(String agent) {
        for (Pattern pattern : BROWSERS) {
            Matcher matcher = pattern.matcher(agent);
            if (matcher.find()) {
                if (pattern == BROWSERS[BROWSERS.length - 1]) {
                    return "Safari " + matcher.group(1);
                }
                String name = switch (matcher.group(1)) {
                    case "Edg" -> "Edge";
                    case "OPR" -> "Opera";
                    default -> matcher.group(1);
                };
                return name + " " + matcher.group(2);
            }
        }
        return null;
    }

    private static String operatingSystem(String agent) {
        if (agent.contains("Android")) {
            return "Android";
        }
        if (agent.contains("iPhone") || agent.contains("iPad")) {
            return "iOS";
        }
        if (agent.contains("Windows")) {
            return "Windows";
        }
        if (agent.contains("Mac OS X") || agent.contains("Macintosh")) {
            return "macOS";
        }
        if (agent.contains("CrOS")) {
            return "ChromeOS";
        }
        if (agent.contains("Linux")) {
            return "Linux";
        }
        return null;
    }
}
