package dev.rcon.agent.net;

/** The agent's name and version for {@code --version}. */
public final class AgentIdentityInfo {
    private AgentIdentityInfo() {
    }

    public static String agentName() {
        return "rcon-agent " + AgentIdentity.version();
    }
}
