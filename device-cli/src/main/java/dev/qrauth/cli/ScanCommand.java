package dev.qrauth.cli;

import dev.qrauth.protocol.message.Approvals;
import dev.qrauth.protocol.otp.ShortCode;
import dev.qrauth.protocol.text.DisplayText;
import dev.qrauth.sdk.Authenticator;
import dev.qrauth.sdk.MobileAuthConfirmation;
import dev.qrauth.sdk.MobileAuthInfo;
import dev.qrauth.sdk.MobileAuthRequest;
import dev.qrauth.sdk.MobileAuthRequestDelegate;
import dev.qrauth.sdk.SdkErrorCode;
import dev.qrauth.sdk.SdkException;
import dev.qrauth.sdk.UserClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import picocli.CommandLine.Model.ArgGroupSpec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code otp-device scan}: a request read from its QR code, shown, and answered. */
final class ScanCommand implements Callable<Integer> {

    private final OtpDevice root;

    /** Where the request comes from: exactly one of its options is given. */
    private final Source source = new Source();

    /** The decision given on the command line; null when it is to be asked for. */
    private Decision decision;

    /** {@code --number}: the number the browser shows, for number matching; null when not given. */
    private Integer number;

    private final PinOptions pinOptions = new PinOptions();

    private static final class Source {
        String otp;
        Path image;
        boolean stdin;
        String code;
    }

    private static final class Decision {
        boolean approve;
        boolean deny;
        boolean fraud;
    }

    private ScanCommand(OtpDevice root) {
        this.root = root;
    }

    /** The command's model, bound to a new instance of it. */
    static CommandSpec spec(OtpDevice root) {
        ScanCommand command = new ScanCommand(root);
        Source source = command.source;
        CommandSpec spec = CliModel.command(command, "scan",
                "Approve or deny a login or approval request from its QR code.",
                "Reads the code, shows who asks and from where, then sends your decision.",
                "Logs in first when a PIN is given, or asks for it on a terminal when not logged in.",
                "A number-matching request needs the number the browser shows; without one of its choices nothing is sent.",
                "Exit 0 when the decision was delivered; under --json the result is CONFIRMED or REJECTED, or"
                        + " AWAITING_REVERSE_CODE with the reverse_code to type into the browser, or"
                        + " AWAITING_OTHER_APPROVERS when other users must approve too.");
        spec.addArgGroup(ArgGroupSpec.builder().exclusive(true).multiplicity("1")
                .addArg(CliModel.option("--otp", "TEXT", String.class, "The text under the QR code.",
                        otp -> source.otp = otp).build())
                .addArg(CliModel.option("--image", "FILE", Path.class,
                        "A PNG or JPEG with the QR code, such as a screenshot.", image -> source.image = image).build())
                .addArg(CliModel.flag("--stdin", "Read the text from standard input.",
                        stdin -> source.stdin = stdin).build())
                .addArg(CliModel.option("--code", "CODE", String.class, "The short code shown under \"Can't scan?\", "
                        + "such as K7QM-4XRT-9BHN-3PWZ (case, spaces and dashes do not matter).",
                        code -> source.code = code).build())
                .build());
        spec.addArgGroup(ArgGroupSpec.builder().exclusive(true)
                .addArg(CliModel.flag("--approve", "Approve without asking.",
                        given -> command.decision(given).approve = given).build())
                .addArg(CliModel.flag("--deny", "Deny without asking.",
                        given -> command.decision(given).deny = given).build())
                .addArg(CliModel.flag("--fraud", "Deny and report it: \"this wasn't me\".",
                        given -> command.decision(given).fraud = given).build())
                .build());
        spec.addOption(CliModel.option("--number", "N", Integer.class,
                "For number matching: the number the browser shows.", number -> command.number = number).build());
        CliModel.pinOptions(spec, command.pinOptions);
        return spec;
    }

    /**
     * The decision a flag of it goes into. picocli sets each flag to false before it reads the
     * command line, which leaves the decision as it is: null when no flag is given.
     */
    private Decision decision(boolean given) {
        if (decision == null && given) {
            decision = new Decision();
        }
        return decision == null ? new Decision() : decision;
    }

    /** Whether the user approved; set on the SDK's thread before the answer is sent. */
    private volatile boolean userApproved;

    @Override
    public Integer call() throws Exception {
        Terminal terminal = root.terminal;
        if (decision == null && !terminal.isInteractive()) {
            throw new UsageException("No terminal to ask Approve / Deny on: pass --approve, --deny or --fraud.");
        }
        if (source.stdin && pinOptions.stdin) {
            throw new UsageException("--stdin and --pin-stdin both read standard input: give the PIN in "
                    + PinOptions.ENVIRONMENT + " or at the prompt instead.");
        }
        String shortCode = null;
        String otp = null;
        if (source.code != null) {
            shortCode = source.code;
            if (!ShortCode.isShortCode(shortCode)) {
                throw new UsageException("--code is not a short code: " + ShortCode.LENGTH
                        + " letters and digits as the browser shows them, such as " + ShortCode.grouped("K7QM4XRT9BHN3PWZ") + ".");
            }
        } else {
            otp = readOtp();
        }
        Phone phone = Phone.of(root);
        try (UserClient client = phone.client()) {
            return scan(phone, client, shortCode, otp);
        }
    }

    /** Logs in when needed, hands the OTP or short code to the SDK, and prints what became of it. */
    private int scan(Phone phone, UserClient client, String shortCode, String otp) throws Exception {
        Terminal terminal = root.terminal;
        phone.logInFirst(client, pinOptions);
        PrintWriter out = root.spec.commandLine().getOut();
        PrintWriter shown = root.json ? root.spec.commandLine().getErr() : out;
        CompletableFuture<String> result = new CompletableFuture<>();
        AtomicReference<String> type = new AtomicReference<>();
        AtomicReference<MobileAuthRequest> shownRequest = new AtomicReference<>();
        AtomicReference<MobileAuthInfo> approved = new AtomicReference<>();
        // Why the server rejected what the user approved (a wrong number, a phone too far away).
        AtomicReference<String> refusedApproval = new AtomicReference<>();
        MobileAuthRequestDelegate delegate = new MobileAuthRequestDelegate() {
            @Override
            public void didReceiveConfirmationChallenge(MobileAuthRequest request, MobileAuthConfirmation confirmation) {
                type.set(request.type());
                shownRequest.set(request);
                show(shown, request);
                answer(request, confirmation, terminal, shown, result);
            }

            @Override
            public void didHandleMobileAuthRequest(MobileAuthRequest request, Authenticator authenticator, MobileAuthInfo info) {
                approved.set(info);
                result.complete(info.requiresReverseCode() ? "AWAITING_REVERSE_CODE"
                        : info.awaitsOtherApprovers() ? "AWAITING_OTHER_APPROVERS" : "CONFIRMED");
            }

            @Override
            public void didFailToHandleMobileAuthRequest(MobileAuthRequest request, Authenticator authenticator,
                                                         SdkException error) {
                if (error.code() == SdkErrorCode.ACTION_CANCELLED) {
                    if (userApproved) {
                        refusedApproval.set(error.getMessage());
                    }
                    result.complete("REJECTED");
                } else {
                    result.completeExceptionally(error);
                }
            }
        };
        if (shortCode != null) {
            client.handleShortCodeMobileAuthRequest(shortCode, delegate);
        } else {
            client.handleOtpMobileAuthRequest(otp, delegate);
        }
        String outcome;
        try {
            outcome = result.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw e;
        }
        MobileAuthInfo info = approved.get();
        if (info != null && info.requiresReverseCode()) {
            root.success(out, outcome, details(shownRequest.get(), info),
                    "Approved. Type this code in the browser: " + info.reverseCodeForDisplay());
            return ExitCode.OK.code;
        }
        if (info != null && info.awaitsOtherApprovers()) {
            Approvals approvals = shownRequest.get().approvals();
            int more = approvals.required() - approvals.approvedBy().size() - 1;
            root.success(out, outcome, details(shownRequest.get(), null), "Approved. " + more + " more "
                    + (more == 1 ? "approval is" : "approvals are") + " needed before it goes through.");
            return ExitCode.OK.code;
        }
        root.success(out, outcome, details(shownRequest.get(), null), outcome.equals("CONFIRMED")
                ? ("login".equals(type.get()) ? "Approved: the browser is being logged in." : "Approved.")
                : refusedApproval.get() != null ? "Not accepted. " + refusedApproval.get() + "."
                : decision != null && decision.fraud ? "Denied and reported as not yours."
                : "Denied: the request was rejected.");
        return ExitCode.OK.code;
    }

    /**
     * The members --json adds beside the result: the proximity checked, a reverse code, and of a
     * four-eyes request how many must approve and who approved before this phone.
     */
    private static java.util.Map<String, Object> details(MobileAuthRequest request, MobileAuthInfo info) {
        java.util.Map<String, Object> details = new java.util.LinkedHashMap<>();
        if (request != null && request.proximity() != null) {
            details.put("proximity", request.proximity().wireName());
        }
        if (request != null && request.isFourEyes()) {
            details.put("required_approvals", request.approvals().required());
            details.put("approved_before", request.approvals().approvedBy());
        }
        if (info != null && info.requiresReverseCode()) {
            details.put("reverse_code", info.reverseCode());
        }
        return details;
    }

    private String readOtp() {
        if (source.otp != null) {
            if (source.otp.isBlank()) {
                throw new UsageException("--otp is empty: give it the text under the QR code, or use --image or --stdin.");
            }
            return source.otp.trim();
        }
        if (source.image != null) {
            try {
                return QrImages.decode(source.image).trim();
            } catch (QrImages.UnreadableQrImageException e) {
                throw new UsageException(e.getMessage());
            }
        }
        try {
            byte[] input = root.stdin.readNBytes(4096);
            return new String(input, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read standard input", e);
        }
    }

    /**
     * What the phone shows before the user decides. Every text the server sent is shown with its
     * control and format characters as visible escapes ({@link DisplayText#escaped}), so none of it
     * can move the cursor, hide a line or pass for another; each line of the secure message is
     * marked, so a newline in it cannot start a line that looks like one of ours.
     */
    private static void show(PrintWriter out, MobileAuthRequest request) {
        out.println(shown(request.portalName()) + " asks you to " + ("login".equals(request.type()) ? "log in" : "approve")
                + " as " + shown(request.userProfile().userId()) + ":");
        out.println("  " + shown(request.message()));
        if (request.secureMessage() != null) {
            for (String line : request.secureMessage().split("\n", -1)) {
                out.println("  | " + shown(line.replace('\t', ' ')));
            }
        }
        String from = String.join(", ", java.util.stream.Stream.of(
                request.browser() == null ? null : request.browser() + (request.operatingSystem() == null ? "" : " on " + request.operatingSystem()),
                request.ipAddress(), request.location()).filter(java.util.Objects::nonNull).map(ScanCommand::shown).toList());
        if (!from.isEmpty()) {
            out.println("  From: " + from);
        }
        if (request.proximity() != null) {
            // A relayed QR code (someone else's login shown to you) usually comes from far away.
            out.println(request.isFarFromBrowser()
                    ? "  WARNING: " + request.proximity().description()
                            + ". If you did not start this on that browser yourself, deny."
                    : "  Network: " + request.proximity().description() + ".");
        }
        if (request.isFourEyes()) {
            out.println("  " + approvedSoFar(request.approvals()));
        }
        out.println("  " + expiry(request.expiresAt(), Instant.now()));
        if (request.requiresNumberMatching()) {
            out.println("  Pick the number the browser shows: " + listed(request.numberChoices()));
        }
        out.flush();
    }

    /** Who approved a four-eyes request before this phone, and how many must: "alice (1 of 2)". */
    static String approvedSoFar(Approvals approvals) {
        List<String> names = approvals.approvedBy().stream().map(ScanCommand::shown).toList();
        return "Approved so far: " + (names.isEmpty() ? "no one" : String.join(", ", names)) + " ("
                + names.size() + " of " + approvals.required() + " needed)";
    }

    /** When the request expires, in seconds from now: the server's clock in UTC means little to a person. */
    static String expiry(Instant expiresAt, Instant now) {
        long seconds = Duration.between(now, expiresAt).toSeconds();
        return seconds > 0 ? "Expires in " + seconds + " s" : "Expired";
    }

    private static String listed(List<Integer> numbers) {
        return numbers.stream().map(String::valueOf).collect(Collectors.joining(", "));
    }

    private static String shown(String fromServer) {
        return DisplayText.escaped(fromServer);
    }

    private void answer(MobileAuthRequest request, MobileAuthConfirmation confirmation, Terminal terminal, PrintWriter out,
                        CompletableFuture<String> result) {
        boolean approve;
        if (decision != null) {
            if (decision.deny || decision.fraud) {
                if (decision.fraud) {
                    confirmation.denyAsFraud();
                } else {
                    confirmation.deny();
                }
                return;
            }
            approve = true;
        } else {
            String typed = terminal.readLine("Approve? [y/N] ");
            approve = typed != null && (typed.trim().equalsIgnoreCase("y") || typed.trim().equalsIgnoreCase("yes"));
        }
        if (!approve) {
            confirmation.deny();
            return;
        }
        if (!request.requiresNumberMatching()) {
            userApproved = true;
            confirmation.confirm();
            return;
        }
        Integer chosen = chosenNumber(request, terminal, out);
        if (chosen == null) {
            // An approval without one of the offered numbers cannot count, and a deny is not what
            // the user asked for: answer nothing, so the request stays open until it expires.
            String wrong = number == null ? "" : "--number " + number + " is not offered; ";
            result.completeExceptionally(new UsageException("No answer sent: " + wrong + "this request needs --number;"
                    + " the choices are " + listed(request.numberChoices()) + ".",
                    Map.of("number_choices", request.numberChoices())));
            return;
        }
        userApproved = true;
        confirmation.confirm(chosen);
    }

    /**
     * The number to approve with: {@code --number} when it is one of the choices; without it, on a
     * terminal, one typed until it is; else null.
     */
    private Integer chosenNumber(MobileAuthRequest request, Terminal terminal, PrintWriter out) {
        List<Integer> choices = request.numberChoices();
        if (number != null) {
            return choices.contains(number) ? number : null;
        }
        if (!terminal.isInteractive()) {
            return null;
        }
        while (true) {
            String typed = terminal.readLine("Number shown in the browser (" + listed(choices) + "): ");
            if (typed == null || typed.isBlank()) {
                return null;
            }
            try {
                int chosen = Integer.parseInt(typed.trim());
                if (choices.contains(chosen)) {
                    return chosen;
                }
            } catch (NumberFormatException notANumber) {
                // asked again below
            }
            out.println("  Pick one of " + listed(choices) + ".");
            out.flush();
        }
    }
}
