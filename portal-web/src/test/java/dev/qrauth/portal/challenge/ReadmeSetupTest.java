package dev.qrauth.portal.challenge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qrauth.portal.PortalConfig;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.ConfigValidationException;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README is followed word for word by people setting the system up by hand: its token-server
 * section and its portal section must work together as written, and every setting it uses must be
 * one its tables explain.
 */
class ReadmeSetupTest {

    private static final Path README = Path.of("../README.md");

    /** A setting's key where the README uses one: in prose, a table or a {@code -D} option (not in a URL). */
    private static final Pattern KEY = Pattern.compile("(?<![\\w/.-])((?:tokenserver|portal|quarkus)(?:\\.[a-z0-9-]+)+)");

    /** Names that look like keys and are not: the file the README keeps the portal's secrets in. */
    private static final Set<String> NOT_KEYS = Set.of("portal.env");

    @Test
    void theTokenServerSetupAllowListsTheCallbackUriThePortalSendsByDefault() throws IOException {
        String readme = Files.readString(README);
        String sent = shippedPortalSetting("portal.public-url") + Challenges.CALLBACK_PATH;

        List<String> allowListed = Pattern.compile("\"callback_uris\":\\[\"([^\"]+)\"").matcher(section(readme, "## Run the token server"))
                .results().map(match -> match.group(1)).toList();
        assertThat(allowListed).as("the API client the token-server section creates for the portal").containsExactly(sent);

        // Troubleshooting's repair of error 1003 adds the same URI, and the portal section quotes
        // the log line that names it.
        assertThat(section(readme, "## Troubleshooting")).contains("\"callback_uris\":[\"" + sent + "\"]");
        assertThat(section(readme, "## Run the portal")).contains("the portal sends the callback URI " + sent);
    }

    @Test
    void everySettingTheReadmeUsesIsInOneOfItsConfigurationTables() throws IOException {
        String readme = Files.readString(README);
        Set<String> used = new TreeSet<>();
        Matcher keys = KEY.matcher(readme);
        while (keys.find()) {
            used.add(keys.group(1));
        }
        used.removeAll(NOT_KEYS);
        List<String> tableRows = readme.lines().filter(line -> line.startsWith("| `")).toList();

        assertThat(used).as("settings the README uses").hasSizeGreaterThan(50)
                .allSatisfy(key -> assertThat(tableRows).as(key + " in a configuration table")
                        .anyMatch(row -> row.contains("`" + key + "`")));
    }

    @Test
    void everyPortalSettingTheReadmeNamesIsOneThePortalKnows() throws IOException {
        Map<String, String> named = new HashMap<>();
        Matcher keys = KEY.matcher(Files.readString(README));
        while (keys.find()) {
            String key = keys.group(1);
            if (key.startsWith("portal.") && !NOT_KEYS.contains(key)) {
                named.put(key, "set-by-the-operator");
            }
        }
        assertThat(named).as("portal settings the README names").hasSizeGreaterThan(8);

        // The portal refuses to start on a key its mapping does not know (SRCFG00050); values
        // that are not of the key's type are other problems, not looked at here.
        List<String> problems = new ArrayList<>();
        try {
            portalConfig(named);
        } catch (ConfigValidationException e) {
            for (int i = 0; i < e.getProblemCount(); i++) {
                problems.add(e.getProblem(i).getMessage());
            }
        }
        assertThat(problems).noneMatch(problem -> problem.contains("SRCFG00050"));
    }

    /** The README's text from {@code heading} to the next heading of the same level. */
    private static String section(String readme, String heading) {
        int start = readme.indexOf("\n" + heading + "\n");
        assertThat(start).as(heading).isNotNegative();
        int end = readme.indexOf("\n## ", start + heading.length() + 1);
        return readme.substring(start, end < 0 ? readme.length() : end);
    }

    private static String shippedPortalSetting(String key) {
        return builder(Map.of()).build().getRawValue(key);
    }

    /** The portal's configuration as shipped (production profile), with {@code settings} set by the operator. */
    private static SmallRyeConfig portalConfig(Map<String, String> settings) {
        return builder(settings).withMapping(PortalConfig.class).build();
    }

    private static SmallRyeConfigBuilder builder(Map<String, String> settings) {
        URL shipped = ReadmeSetupTest.class.getClassLoader().getResource("application.properties");
        try {
            return new SmallRyeConfigBuilder()
                    .addDefaultInterceptors()
                    .withProfile("prod")
                    .withConverter(Duration.class, 200, new DurationConverter())
                    .withSources(new PropertiesConfigSource(shipped, 250))
                    .withSources(new PropertiesConfigSource(settings, "operator settings", 400));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
