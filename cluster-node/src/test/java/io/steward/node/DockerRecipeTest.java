package io.steward.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * deploy/docker: no container engine runs on the machines that test Steward (the Docker client is there, no daemon,
 * and no registry to pull base images from), so the recipe is checked as far as it can be without one: Compose itself
 * ({@code docker-compose config}, installed by deploy/test.sh) validates and interpolates the compose file, and the
 * Dockerfile is held to the build it packages — the files it copies exist, the jar it runs is the one Maven makes,
 * and every setting it and the compose file pass is one the node reads.
 */
class DockerRecipeTest {
    private static final Path ROOT = Path.of("..");
    private static final Path DOCKERFILE = ROOT.resolve("deploy/docker/Dockerfile");
    private static final Path COMPOSE = ROOT.resolve("deploy/docker/compose.yaml");
    private static final Pattern STEWARD_KEY = Pattern.compile("\\b(STEWARD_[A-Z_]+)\\b");

    @Test
    void composeValidatesTheFileAndRefusesToStartWithoutADatabasePassword() throws Exception {
        Path compose = Path.of("/usr/bin/docker-compose");
        Assumptions.assumeTrue(Files.isExecutable(compose), "docker-compose is not installed (deploy/test.sh installs it)");
        Result valid = run(Map.of("STEWARD_DB_PASSWORD", "s3cret", "STEWARD_PUBLIC_URL", "https://steward.test:8080"),
                compose.toString(), "-f", COMPOSE.toString(), "config");
        assertThat(valid.exit()).as(valid.output()).isZero();
        assertThat(valid.output()).contains("STEWARD_DB_URL: jdbc:postgresql://postgres:5432/steward",
                "POSTGRES_PASSWORD: s3cret", "STEWARD_DB_PASSWORD: s3cret", "condition: service_healthy",
                "node-data:/var/lib/steward");

        Result noPassword = run(Map.of("STEWARD_PUBLIC_URL", "https://steward.test:8080"),
                compose.toString(), "-f", COMPOSE.toString(), "config", "-q");
        assertThat(noPassword.exit()).isNotZero();
        assertThat(noPassword.output()).contains("set STEWARD_DB_PASSWORD");
    }

    @Test
    void theDockerfileCopiesFilesThatExistAndRunsTheJarMavenBuilds() throws Exception {
        String dockerfile = Files.readString(DOCKERFILE);
        List<String> sources = new ArrayList<>();
        Matcher copy = Pattern.compile("(?m)^COPY (?!--from)(.+)$").matcher(dockerfile);
        while (copy.find()) {
            String[] words = copy.group(1).trim().split("\\s+");
            sources.addAll(List.of(words).subList(0, words.length - 1));
        }
        assertThat(sources).contains("frontend/package-lock.json", ".");
        sources.forEach(source -> assertThat(ROOT.resolve(source)).as("COPY " + source).exists());

        String pom = Files.readString(ROOT.resolve("cluster-node/pom.xml"));
        Matcher finalName = Pattern.compile("<finalName>([^<]+)</finalName>").matcher(pom);
        assertThat(finalName.find()).isTrue();
        String jar = "cluster-node/target/" + finalName.group(1) + ".jar";
        assertThat(dockerfile).contains("COPY --from=build /src/" + jar + " /opt/steward/steward-node.jar")
                .contains("\"-jar\", \"/opt/steward/steward-node.jar\"");
        // The dashboard is built where the frontend module packs it from (vite's outDir), then copied there.
        String vite = Files.readString(ROOT.resolve("frontend/vite.config.ts"));
        assertThat(vite).contains("outDir: 'target/classes/steward/ui'");
        assertThat(dockerfile).contains("COPY --from=ui /ui frontend/target/classes/steward/ui")
                .contains("-Dsteward.skipFrontend");
        assertThat(Files.readString(ROOT.resolve("frontend/pom.xml"))).contains("steward.skipFrontend");
        assertThat(dockerfile).as("runs unprivileged").contains("USER steward");
    }

    @Test
    void everySettingTheRecipePassesIsOneTheNodeReads() throws Exception {
        String config = Files.readString(Path.of("src/main/resources/application.conf"));
        for (Path recipe : List.of(DOCKERFILE, COMPOSE)) {
            Matcher key = STEWARD_KEY.matcher(Files.readString(recipe));
            int found = 0;
            while (key.find()) {
                found++;
                assertThat(config).as(recipe + " passes " + key.group(1)).contains("${?" + key.group(1) + "}");
            }
            assertThat(found).as(recipe.toString()).isPositive();
        }
    }

    private record Result(int exit, String output) {}

    private static Result run(Map<String, String> environment, String... command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("STEWARD_"));
        builder.environment().putAll(environment);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), output);
    }
}
