package dev.lpl.it.container;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Bind;
import java.nio.file.Path;
import java.time.Duration;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.output.OutputFrame.OutputType;
import org.testcontainers.containers.startupcheck.StartupCheckStrategy;

/** One {@code lpl} command in a container of the runner image. */
final class LplContainer extends GenericContainer<LplContainer> {

    /** What a finished container left: its exit status and its output. */
    record Result(long exitCode, String stdout, String stderr) {
        String all() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
        }
    }

    LplContainer(String... args) {
        super(RunnerImage.get());
        withCommand(args);
    }

    /**
     * Mounts a host directory read-write at {@code /runs} (through the create command itself:
     * Testcontainers' own file-system bind starts a helper image to probe mounting, which cannot be
     * pulled where no registry is reachable).
     *
     * @param runs the host directory
     * @return this container
     */
    LplContainer withRunsDirectory(Path runs) {
        String bind = runs.toAbsolutePath() + ":/runs:rw";
        return withCreateContainerCmdModifier(cmd -> cmd.getHostConfig().withBinds(Bind.parse(bind)));
    }

    /**
     * Starts the container and waits until its command exits, whatever its status (Testcontainers'
     * one-shot check would treat a non-zero status as a failed start).
     *
     * @param timeout the longest wait
     * @return the exit status and output
     */
    Result runToExit(Duration timeout) {
        withStartupCheckStrategy(new Exited().withTimeout(timeout));
        start();
        return result();
    }

    /** @return the exit status and output of this container, which has exited */
    Result result() {
        InspectContainerResponse.ContainerState state = getCurrentContainerInfo().getState();
        if (Boolean.TRUE.equals(state.getRunning())) {
            throw new IllegalStateException("container " + getContainerId() + " is still running");
        }
        return new Result(state.getExitCodeLong(), getLogs(OutputType.STDOUT), getLogs(OutputType.STDERR));
    }

    /**
     * Stops the running container as {@code docker stop} does: SIGTERM to {@code lpl} (PID 1), then
     * SIGKILL only if it has not exited within the grace period.
     *
     * @param grace the grace period
     */
    void sigterm(Duration grace) {
        DockerClient client = getDockerClient();
        client.stopContainerCmd(getContainerId()).withTimeout((int) grace.toSeconds()).exec();
    }

    /** Ready once the container's command has exited, successfully or not. */
    private static final class Exited extends StartupCheckStrategy {
        @Override
        public StartupStatus checkStartupState(DockerClient client, String containerId) {
            InspectContainerResponse.ContainerState state = getCurrentState(client, containerId);
            return Boolean.TRUE.equals(state.getRunning()) ? StartupStatus.NOT_YET_KNOWN : StartupStatus.SUCCESSFUL;
        }
    }
}
