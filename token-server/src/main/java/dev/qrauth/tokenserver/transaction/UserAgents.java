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
            Pattern.compile("(Edg)/(\\d{1,4})"),
            Pattern.compile("(OPR)/(\\d{1,4})"),
            Pattern.compile("(Firefox)/(\\d{1,4})"),
            Pattern.compile("(Chromium)/(\\d{1,4})"),
            Pattern.compile("(Chrome)/(\\d{1,4})"),
            Pattern.compile("Version/(\\d{1,4})[.\\d]{0,20} (?:Mobile/\\S{1,20} )?(Safari)/"),
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
