package dev.qrauth.testkit.demo;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.qrauth.adminclient.AdminClient;
import dev.qrauth.adminclient.AdminRefusedException;
import dev.qrauth.protocol.admin.UserView;
import dev.qrauth.protocol.json.ProtocolJson;
import dev.qrauth.testkit.Directories;
import dev.qrauth.testkit.ServerProcess;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The demo phone: the store of {@code otp-device} in {@code <data>/phone}, with {@link #USER}
 * registered and enrolled at the demo's token server. Driven through the {@code otp-device} jar,
 * as a person would drive it, so {@code bin/otp-device --home <data>/phone} finds what the demo set
 * up.
 */
final class DemoPhone {

    static final String USER = "alice";
    static final String PIN = "24680";

    private final Path cliJar;
    private final Path home;
    private final DemoSettings settings;
    private final Consumer<String> say;

    DemoPhone(Path cliJar, Path home, DemoSettings settings, Consumer<String> say) {
        this.cliJar = cliJar;
        this.home = home;
        this.settings = settings;
        this.say = say;
    }

    /**
     * What the phone's own store says about {@link #USER}: whether it could be read, the device and
     * server of the user's profile when it holds one, and why the phone cannot log in (null when it
     * holds an enrolled profile).
     */
    record LocalState(boolean readable, String deviceId, String server, String problem) {

        /** Whether the phone may try to go on as the device it is: its store is there, and not kept for another address. */
        boolean mayGoOnAsItsDevice(URI tokenServer) {
            return readable && (server == null || URI.create(server).equals(tokenServer));
        }
    }

    /** A failed run's answer under {@code --json}: the error's code, such as {@code DEVICE_DEREGISTERED}. */
    private record Failure(@JsonProperty("error") String error) {
    }

    /** {@code otp-device --json status}: one profile per user on the phone. */
    private record Status(@JsonProperty("result") List<Profile> result) {
    }

    private record Profile(@JsonProperty("user_id") String userId, @JsonProperty("device_id") String deviceId,
                           @JsonProperty("server") String server, @JsonProperty("enrolled") boolean enrolled) {
    }

    /** Reads the phone's store through {@code otp-device status}, which asks no server. */
    LocalState localState() {
        if (!Files.isDirectory(home)) {
            return new LocalState(false, null, null, "its store " + home + " is gone");
        }
        Status status;
        try {
            String printed = otpDevice(Map.of(), "--json", "status");
            // Only the JSON object: anything the JVM said besides is not the phone's answer.
            status = jsonObjectOf(printed, Status.class);
        } catch (Exception e) {
            // Whatever the reason, the phone is set up again, which is what a store that cannot be read needs.
            return new LocalState(false, null, null, "its store cannot be read (" + e.getMessage() + ")");
        }
        Optional<Profile> profile = Optional.ofNullable(status.result()).orElse(List.of()).stream()
                .filter(p -> USER.equals(p.userId())).findFirst();
        if (profile.isEmpty()) {
            return new LocalState(true, null, null, "it holds no profile for " + USER + " any more (three wrong PINs remove it)");
        }
        Profile found = profile.get();
        if (!found.enrolled()) {
            return new LocalState(true, found.deviceId(), found.server(), USER + " is not enrolled on it any more");
        }
        return new LocalState(true, found.deviceId(), found.server(), null);
    }

    /**
     * Sets up the phone on the first run; on later runs checks that it is still registered and
     * enrolled, at the token server as well as in its store, and sets it up again when not. Three
     * wrong PINs, an administrator's removal or another token-server port each leave a phone that
     * would fail every scan.
     *
     * <p>The phone is set up again as a person would set up their own: three wrong PINs remove the
     * user from the phone, not the phone from the server, so the user registers again with a new
     * activation code on the device the phone already is. The server keeps one device for it and
     * its audit log reads as a person's recovery, not as a new phone. Only a phone that cannot go on
     * as that device (its store gone or unreadable, kept for another token-server address, or no
     * longer known to the server) starts again from an empty store as a new device; then the old
     * device is removed through the admin API, so no registration is left behind on the server.
     */
    void checkOrRepair(URI tokenServer, AdminClient admin, LocalState local) throws Exception {
        boolean setUpBefore = "true".equals(settings.get("phone.enrolled"));
        String problem = setUpBefore ? problem(tokenServer, admin, local) : "not set up yet";
        if (problem == null) {
            return;
        }
        if (setUpBefore) {
            say.accept("The demo phone cannot log anyone in: " + problem + ". Registering it again ...");
        } else {
            say.accept("Registering user " + USER + " on the demo phone and enrolling it ...");
        }
        // The activation code is a secret until used: in the environment, not on the command line.
        Map<String, String> activationCode = Map.of("OTP_DEVICE_ACTIVATION_CODE",
                admin.activationCode(USER).activationCode());
        boolean sameDevice = local.mayGoOnAsItsDevice(tokenServer) && registeredOnItsDevice(tokenServer, activationCode);
        if (!sameDevice) {
            Directories.deleteTree(home);
            otpDevice(activationCode, "register", "--server", tokenServer.toString(), "--user", USER);
        }
        String deviceId = localState().deviceId();
        if (deviceId == null) {
            throw new DemoException("the demo phone has no device id after its registration");
        }
        boolean removedOld = removeDevicesBesides(admin, deviceId, local.deviceId(), settings.get("phone.device-id"));
        otpDevice(Map.of(), "enroll");
        settings.set("phone.enrolled", "true", "phone.device-id", deviceId);
        if (setUpBefore) {
            say.accept("The demo phone is registered and enrolled again"
                    + (sameDevice ? ", on the same device." : ", as a new device."));
        }
        if (removedOld) {
            say.accept("Removed the demo phone's old device from the token server.");
        }
    }

    /** Why the phone described by {@code local} cannot answer a login at {@code tokenServer}, or null when it can. */
    private static String problem(URI tokenServer, AdminClient admin, LocalState local) {
        if (local.problem() != null) {
            return local.problem();
        }
        if (!URI.create(local.server()).equals(tokenServer)) {
            return "it belongs to the token server at " + local.server() + ", not " + tokenServer;
        }
        UserView user;
        try {
            user = admin.user(USER);
        } catch (AdminRefusedException e) {
            if (e.status() == 404) {
                return "the token server has no user " + USER + " any more";
            }
            throw e;
        }
        Optional<UserView.DeviceView> device = user.devices().stream()
                .filter(d -> d.deviceId().toString().equals(local.deviceId())).findFirst();
        if (device.isEmpty()) {
            return "the token server no longer has " + USER + " registered on it (three wrong PINs deregister it)";
        }
        if (!device.get().mobileAuthEnrolled()) {
            return "the token server no longer has it enrolled";
        }
        return null;
    }

    /**
     * Registers {@link #USER} again on the device the phone already is. False, with nothing sent or
     * the server having refused the device before the activation code was looked at, when the phone
     * cannot go on as that device: its store is kept for another token-server address or damaged
     * ({@code LOCAL_STATE}), or the server no longer knows the device ({@code DEVICE_DEREGISTERED},
     * after which the phone has deleted its own data).
     */
    private boolean registeredOnItsDevice(URI tokenServer, Map<String, String> activationCode) throws Exception {
        CliRun run = runOtpDevice(activationCode, "--json", "register", "--server", tokenServer.toString(), "--user", USER);
        if (run.exitCode() == 0) {
            return true;
        }
        String error = run.error();
        if ("LOCAL_STATE".equals(error) || "DEVICE_DEREGISTERED".equals(error)) {
            return false;
        }
        throw new DemoException("otp-device register failed: " + run.output().strip());
    }

    /**
     * Removes, through the admin API, each device the phone was before besides {@code current} (the
     * one in its store, and the one the demo kept the id of, in case the store was lost); true when
     * the server still had one.
     */
    private static boolean removeDevicesBesides(AdminClient admin, String current, String... earlier) {
        boolean removed = false;
        for (String deviceId : new LinkedHashSet<>(Arrays.asList(earlier))) {
            if (deviceId == null || deviceId.equals(current)) {
                continue;
            }
            try {
                admin.deleteDevice(UUID.fromString(deviceId));
                removed = true;
            } catch (AdminRefusedException e) {
                if (e.status() != 404) {
                    throw e;
                }
            }
        }
        return removed;
    }

    /** Runs {@code otp-device} on the phone; returns what it printed, or throws when it failed. */
    private String otpDevice(Map<String, String> environment, String... args) throws Exception {
        CliRun run = runOtpDevice(environment, args);
        if (run.exitCode() != 0) {
            throw new DemoException("otp-device " + String.join(" ", args) + " failed: " + run.output().strip());
        }
        return run.output();
    }

    /** Runs {@code otp-device} on the phone, and tells how it ended whatever the end. */
    private CliRun runOtpDevice(Map<String, String> environment, String... args) throws Exception {
        // A run of a second or two: the options of a quick start, as bin/otp-device uses them too.
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(ServerProcess.QUICK_START);
        command.addAll(List.of("-jar", cliJar.toString(), "--home", home.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().put("OTP_DEVICE_PIN", PIN);
        builder.environment().putAll(environment);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new CliRun(process.waitFor(), output);
    }

    /** How a run of {@code otp-device} ended: its exit code and what it printed. */
    private record CliRun(int exitCode, String output) {

        /** The error's code of a failed run under {@code --json}, such as {@code DEVICE_DEREGISTERED}; null when none. */
        String error() {
            try {
                return jsonObjectOf(output, Failure.class).error();
            } catch (RuntimeException | IOException unreadable) {
                return null;
            }
        }
    }

    /**
     * The JSON object {@code otp-device --json} printed, read as {@code type}; anything the JVM
     * printed besides is not the phone's answer.
     */
    private static <T> T jsonObjectOf(String printed, Class<T> type) throws IOException {
        int start = printed.indexOf('{');
        int end = printed.lastIndexOf('}');
        if (start < 0 || end < start) {
            throw new IOException("no JSON object in what otp-device printed");
        }
        return ProtocolJson.read(printed.substring(start, end + 1).getBytes(StandardCharsets.UTF_8), type);
    }
}
