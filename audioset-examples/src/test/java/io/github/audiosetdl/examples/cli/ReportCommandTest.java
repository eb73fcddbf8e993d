package io.github.audiosetdl.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.audiosetdl.core.testing.ExternalTools;
import io.github.audiosetdl.core.testing.LoopbackMediaServer;
import io.github.audiosetdl.core.testing.LoopbackMediaServer.Fault;
import io.github.audiosetdl.core.testing.TestMedia;
import io.github.audiosetdl.core.testing.TestMedia.Codec;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code download} writes the availability report after a run with faults; {@code report} rewrites it. */
class ReportCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        return AudioSetCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    /** @return per outcome ("downloaded", "short", or the failure reason), the rows of the logs */
    private static Map<String, Integer> tally(Path logs) throws Exception {
        Map<String, Integer> n = new HashMap<>();
        for (String log : new String[] {"mini_goodlogs/goodLog_0.csv", "mini_errorlogs/errorLog_0.csv"}) {
            try (Reader r = Files.newBufferedReader(logs.resolve(log))) {
                for (CSVRecord rec : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()
                        .parse(r)) {
                    String key = rec.get("outcome").equals("failed") ? rec.get("reason") : rec.get("outcome");
                    n.merge(key, 1, Integer::sum);
                }
            }
        }
        return n;
    }

    @Test
    void theReportOfARunWithFaultsMatchesItsLogs(@TempDir Path media, @TempDir Path work) throws Exception {
        Path tone = TestMedia.tone(media, Codec.AAC, 44_100, 30);
        Path csv = Files.writeString(work.resolve("mini.csv"), "YTID,start_seconds,end_seconds,positive_labels\n"
                + "goodclip001,0.000,10.000,\"/m/09x0r,/m/04rlf\"\n"
                + "goodclip002,10.000,20.000,/m/04rlf\n"
                + "shortclip03,25.000,35.000,/m/015p6\n"
                + "gone0000004,0.000,10.000,/m/09x0r\n"
                + "forbidden05,0.000,10.000,/m/015p6\n"
                + "busyclip006,0.000,10.000,/m/09x0r\n");
        try (LoopbackMediaServer server = LoopbackMediaServer.start()) {
            for (String id : new String[] {"goodclip001", "goodclip002", "shortclip03", "gone0000004", "forbidden05",
                "busyclip006"}) {
                server.serve(id + ".m4a", tone);
            }
            server.fault("gone0000004.m4a", Fault.GONE).fault("forbidden05.m4a", Fault.FORBIDDEN)
                    .fault("busyclip006.m4a", Fault.TOO_MANY_REQUESTS);
            int code = run("download", "--csv", csv.toString(), "--out", work.toString(), "--resolver", "direct",
                    "--url-template", server.url("{id}.m4a"), "--retries", "0", "--ffmpeg",
                    ExternalTools.requireFfmpeg().toString());
            assertThat(code).as(err.toString()).isEqualTo(AudioSetCli.EXIT_RETRY);
        }
        assertThat(out.toString()).contains("availability      3 of 6 obtained (50.0%)")
                .contains("mini_availability.png");
        Map<String, Integer> logged = tally(work.resolve("logs"));
        assertThat(logged).containsEntry("not_found", 1).containsEntry("forbidden", 1)
                .containsEntry("rate_limited", 1);

        Path reports = work.resolve("reports");
        assertThat(run("report", "--logs", work.resolve("logs").toString(), "--out", reports.toString(), "--csv",
                csv.toString())).as(err.toString()).isZero();
        JsonNode json = new ObjectMapper().readTree(reports.resolve("mini_availability.json").toFile());
        assertThat(json.get("requested").asInt()).isEqualTo(6);
        assertThat(json.get("obtained").asInt()).isEqualTo(logged.getOrDefault("downloaded", 0)
                + logged.getOrDefault("short", 0)).isEqualTo(3);
        assertThat(json.get("failed").get("permanent").asInt()).isEqualTo(2);
        assertThat(json.get("failed").get("transient").asInt()).isZero();
        assertThat(json.get("failed").get("rate_limited").asInt()).isEqualTo(1);
        for (String reason : new String[] {"not_found", "forbidden", "rate_limited"}) {
            assertThat(json.get("reasons").get(reason).asInt()).as(reason).isEqualTo(logged.get(reason));
        }
        JsonNode speech = json.get("per_label").get("/m/09x0r");
        assertThat(speech.get("name").asText()).isEqualTo("Speech");
        assertThat(speech.get("requested").asInt()).isEqualTo(3);
        assertThat(speech.get("obtained").asInt()).isEqualTo(1);
        assertThat(Files.readAllLines(reports.resolve("mini_availability.csv"))).hasSize(4)
                .contains("/m/04rlf,Music,2,2,1.0000");
        BufferedImage png = ImageIO.read(reports.resolve("mini_availability.png").toFile());
        assertThat(png.getWidth()).isGreaterThanOrEqualTo(800);
        assertThat(png.getHeight()).isGreaterThanOrEqualTo(400);
        // the same report beside the download's own
        assertThat(Files.readString(reports.resolve("mini_availability.json")))
                .isEqualTo(Files.readString(work.resolve("mini_availability.json")));

        // a download of a label's rows: the report of the same selection requests those rows only
        Path speechOnly = work.resolve("speech");
        assertThat(run("report", "--logs", work.resolve("logs").toString(), "--out", speechOnly.toString(), "--csv",
                csv.toString(), "--label", "Speech")).as(err.toString()).isZero();
        JsonNode selected = new ObjectMapper().readTree(speechOnly.resolve("mini_availability.json").toFile());
        assertThat(selected.get("requested").asInt()).isEqualTo(3);
        assertThat(selected.get("obtained").asInt()).isEqualTo(1);
        assertThat(selected.get("failed").get("permanent").asInt()).isEqualTo(1);
        assertThat(selected.get("failed").get("rate_limited").asInt()).isEqualTo(1);
        assertThat(run("report", "--logs", work.resolve("logs").toString(), "--out", speechOnly.toString(), "--csv",
                csv.toString(), "--limit", "2")).as(err.toString()).isZero();
        assertThat(out.toString()).contains("availability      2 of 2 obtained (100.0%)");
        assertThat(run("report", "--logs", work.resolve("logs").toString(), "--out", speechOnly.toString(),
                "--label", "Speech")).isEqualTo(2);
        assertThat(err.toString()).contains("give --csv too");
    }

    /**
     * The download's --out given for its logs folder: said so, with the folder to give (was "give --name"). What the
     * folder holds is wrong, not the option: the command fails (exit 1, as a file that holds no logs), no "Try
     * --help" line; it was a usage error (exit 2).
     */
    @Test
    void pointsToTheLogsFolderWhenGivenTheDownloadsOutputFolder(@TempDir Path out) throws Exception {
        Files.createDirectories(out.resolve("logs/mini_goodlogs"));
        assertThat(run("report", "--logs", out.toString(), "--out", out.toString()))
                .isEqualTo(AudioSetCli.EXIT_FAILURE);
        assertThat(err.toString()).contains("--logs " + out + " holds no download logs")
                .contains("here --logs " + out.resolve("logs")).doesNotContain("give --name")
                .doesNotContain("Try ");
        Path empty = Files.createDirectories(out.resolve("empty"));
        assertThat(run("report", "--logs", empty.toString(), "--out", out.toString()))
                .isEqualTo(AudioSetCli.EXIT_FAILURE);
        assertThat(err.toString()).contains("holds no download logs").contains("OUT/logs")
                .doesNotContain("here --logs");
    }

    @Test
    void asksForANameWhenTheLogsHoldSeveral(@TempDir Path logs) throws Exception {
        Files.createDirectories(logs.resolve("a_goodlogs"));
        Files.createDirectories(logs.resolve("b_goodlogs"));
        assertThat(run("report", "--logs", logs.toString(), "--out", logs.toString()))
                .isEqualTo(AudioSetCli.EXIT_FAILURE);
        assertThat(err.toString()).contains("holds the logs of [a, b]: give --name").doesNotContain("Try ");
    }
}
