package dev.qrauth.cli;

import java.util.function.Consumer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.IGetter;
import picocli.CommandLine.Model.ISetter;
import picocli.CommandLine.Model.OptionSpec;

/**
 * picocli's model of the commands, built through its programmatic API. Reading the same model
 * from annotations makes the JDK parse them and generate a proxy class per annotation type, by
 * reflection, at every start: about 45 ms of a 0.25 s {@code status} (docs/PERFORMANCE.md). Each
 * command declares its options in a {@code spec} method beside the fields they fill.
 */
final class CliModel {

    private CliModel() {
    }

    /** A command running {@code command}, with its description and its -h/--help and -V/--version. */
    static CommandSpec command(Object command, String name, String... description) {
        CommandSpec spec = CommandSpec.wrapWithoutInspection(command).name(name);
        spec.usageMessage().description(description);
        spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true)
                .description("Show this help message and exit.").build());
        spec.addOption(OptionSpec.builder("-V", "--version").versionHelp(true)
                .description("Print version information and exit.").build());
        return spec;
    }

    /** An option without a value, false unless given. */
    static OptionSpec.Builder flag(String name, String description, Consumer<Boolean> into) {
        Field<Boolean> field = new Field<>(into);
        return OptionSpec.builder(name).type(boolean.class).arity("0").initialValue(false)
                .description(description).getter(field).setter(field);
    }

    /** An option with a value of {@code type}, shown as {@code label} in the help; null unless given. */
    static <T> OptionSpec.Builder option(String name, String label, Class<T> type, String description, Consumer<T> into) {
        Field<T> field = new Field<>(into);
        return OptionSpec.builder(name).type(type).paramLabel(label).description(description)
                .getter(field).setter(field);
    }

    /** The options of {@link PinOptions}, and the footer that says where the PIN comes from. */
    static void pinOptions(CommandSpec spec, PinOptions into) {
        spec.addOption(option("--pin", "PIN", String.class,
                "For tests only: the PIN on the command line, which other users of this machine can see.",
                pin -> into.pin = pin).build());
        spec.addOption(flag("--pin-stdin", "Read the PIN from the first line of standard input.",
                stdin -> into.stdin = stdin).build());
        spec.usageMessage().footerHeading("%nThe PIN:%n").footer(
                "Taken from the first of: --pin, --pin-stdin, the environment variable " + PinOptions.ENVIRONMENT
                        + ", a prompt on the terminal (typed without echo).",
                "--pin puts the PIN where other users of this machine can read it (ps): use it in tests only.");
    }

    /** Where an option's value goes: the command's field, through {@code into}. */
    private static final class Field<T> implements IGetter, ISetter {
        private final Consumer<T> into;
        private T value;

        Field(Consumer<T> into) {
            this.into = into;
        }

        @Override
        @SuppressWarnings("unchecked")
        public <R> R get() {
            return (R) value;
        }

        @Override
        @SuppressWarnings("unchecked")
        public <R> R set(R newValue) {
            R old = (R) value;
            value = (T) newValue;
            into.accept(value);
            return old;
        }
    }
}
