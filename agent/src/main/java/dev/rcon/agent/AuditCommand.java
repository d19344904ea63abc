package dev.rcon.agent;

import dev.rcon.agent.audit.AuditVerifier;
import dev.rcon.agent.net.Log;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code rcon-agent audit verify FILE...}: checks the audit trail's chain of hashes. */
@Command(name = "audit", mixinStandardHelpOptions = true, description = "Work with the audit trail.",
        subcommands = AuditCommand.Verify.class)
final class AuditCommand {

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = {"Check that no line of an audit trail was edited or deleted.",
                "Give a rotated series oldest first. Exit 0 when the chain holds, 1 naming the",
                "first line that breaks it."})
    static final class Verify implements Callable<Integer> {
        @Parameters(paramLabel = "FILE", arity = "1..*", description = "An audit trail, or the files of a rotated series, oldest first.")
        List<Path> files;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            Optional<String> broken = AuditVerifier.verify(files);
            if (broken.isPresent()) {
                spec.commandLine().getErr().println("rcon-agent: " + Log.escape(broken.get()));
                spec.commandLine().getErr().flush();
                return 1;
            }
            spec.commandLine().getOut().println("ok: the chain holds over " + files.size() + " file"
                    + (files.size() == 1 ? "" : "s"));
            spec.commandLine().getOut().flush();
            return 0;
        }
    }
}
