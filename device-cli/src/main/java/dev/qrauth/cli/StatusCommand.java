package dev.qrauth.cli;

import dev.qrauth.sdk.UserClient;
import dev.qrauth.sdk.UserProfile;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

/** {@code otp-device status}: what this device holds, read from its own files only. */
final class StatusCommand implements Callable<Integer> {

    private final OtpDevice root;

    private StatusCommand(OtpDevice root) {
        this.root = root;
    }

    /** The command's model, bound to a new instance of it. */
    static CommandSpec spec(OtpDevice root) {
        return CliModel.command(new StatusCommand(root), "status",
                "Show the profiles on this device and whether they are enrolled.",
                "For each: user, device id, enrollment, server, and whether it is logged in.");
    }

    @Override
    public Integer call() {
        Phone phone = Phone.of(root);
        List<Map<String, Object>> profiles = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        if (phone.server().isEmpty()) {
            text.append("Nothing registered in ").append(phone.home).append('.');
        } else {
            try (UserClient client = phone.client()) {
                String deviceId = client.deviceId().map(Object::toString).orElse(null);
                String current = client.authenticatedUserProfile().map(UserProfile::userId).orElse(null);
                for (UserProfile profile : client.userProfiles()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("user_id", profile.userId());
                    row.put("device_id", deviceId);
                    row.put("enrolled", client.isUserEnrolledForMobileAuth(profile));
                    row.put("server", client.serverUri().toString());
                    row.put("logged_in", profile.userId().equals(current));
                    profiles.add(row);
                    text.append(String.format("%s  device %s  %s  %s%s%n", profile.userId(), deviceId,
                            row.get("enrolled").equals(true) ? "enrolled" : "not enrolled", client.serverUri(),
                            profile.userId().equals(current) ? "  (logged in)" : ""));
                }
            }
            if (profiles.isEmpty()) {
                text.append("No user is registered on this device.");
            }
        }
        root.success(root.spec.commandLine().getOut(), profiles, text.toString().stripTrailing());
        return ExitCode.OK.code;
    }
}
