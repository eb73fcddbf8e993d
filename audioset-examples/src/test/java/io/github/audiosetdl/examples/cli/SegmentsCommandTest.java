package io.github.audiosetdl.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.audiosetdl.core.testing.TestData;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SegmentsCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return AudioSetCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @Test
    void jsonSummaryOfTheEvalFile() throws IOException {
        int code = run("segments", "--csv", TestData.evalSegments().toString(), "--json");
        assertThat(code).as(err.toString()).isZero();
        JsonNode json = new ObjectMapper().readTree(out.toString());
        assertThat(json.get("rows").asLong()).isEqualTo(20_371);
        assertThat(json.get("unique_labels").asInt()).isEqualTo(527);
        assertThat(json.get("label_occurrences").asLong()).isEqualTo(51_804);
        assertThat(json.get("shorter_than_10s").asLong()).isEqualTo(361);
        assertThat(json.get("selected").asLong()).isEqualTo(20_371);
        assertThat(json.get("per_label").size()).isEqualTo(527);
        assertThat(json.get("per_label").get("/m/04rlf").asLong()).isEqualTo(5_695);
    }

    @Test
    void shardAndLabelFilterSelectRows() throws IOException {
        long total = 0;
        for (int i = 0; i < 3; i++) {
            out.getBuffer().setLength(0);
            int code = run("segments", "--csv", TestData.evalSegments().toString(), "--label", "Dog",
                    "--jobs", "3", "--job-index", String.valueOf(i), "--json");
            assertThat(code).as(err.toString()).isZero();
            JsonNode json = new ObjectMapper().readTree(out.toString());
            long selected = json.get("selected").asLong();
            assertThat(selected).isBetween(106L, 107L);
            long perLabelDog = json.get("per_label").path("/m/0bt9lr").asLong();
            assertThat(perLabelDog).isPositive().isLessThanOrEqualTo(selected);
            total += selected;
        }
        assertThat(total).isEqualTo(320);
    }

    @Test
    void theTableOfAStrongLabelFileShowsTheLimitAsTheWeakOnesDoes() {
        assertThat(run("segments", "--csv", TestData.file("audioset/strong_sample.tsv").toString(), "--limit", "1",
                "--label", "Dog")).as(err.toString()).isZero();
        assertThat(out.toString()).contains("selection          job 0 of 1, labels Dog (with descendants), limit 1")
                .contains("selected segments  1");
    }

    @Test
    void perLabelOfAStrongLabelFileCountsTheSelectedSegmentsEventsAsForAWeakCsv() throws IOException {
        String strong = TestData.file("audioset/strong_sample.tsv").toString();
        assertThat(run("segments", "--csv", strong, "--label", "Dog", "--json")).as(err.toString()).isZero();
        JsonNode json = new ObjectMapper().readTree(out.toString());
        assertThat(json.get("selected").asLong()).isEqualTo(1);
        assertThat(json.get("events").asLong()).isEqualTo(6); // the file's
        JsonNode perLabel = json.get("per_label"); // the one selected segment's events
        assertThat(perLabel.size()).isEqualTo(3);
        assertThat(perLabel.get("/m/09x0r").asLong()).isEqualTo(1);
        assertThat(perLabel.get("/m/0bt9lr").asLong()).isEqualTo(1);
        assertThat(perLabel.get("/m/05tny_").asLong()).isEqualTo(1);
        assertThat(json.get("label_names").size()).isEqualTo(3);

        out.getBuffer().setLength(0);
        assertThat(run("segments", "--csv", strong, "--jobs", "3", "--job-index", "2")).as(err.toString()).isZero();
        assertThat(out.toString()).contains("selected segments  1").contains("/m/015p6").doesNotContain("/m/04rlf")
                .doesNotContain("/m/09x0r");
    }

    @Test
    void aBadLineOfAStrongLabelFileIsSkippedUnderOnErrorSkipAsInAWeakCsv(@TempDir Path dir) throws IOException {
        Path strong = dir.resolve("strong.tsv");
        Files.writeString(strong, Files.readString(TestData.file("audioset/strong_sample.tsv"))
                + "-0SdAVK79lg_30000\tsix\t9.900\t/m/015p6\n"
                + "-0SdAVK79lg_30000\t1.000\t2.000\t/m/09x0r\n");
        assertThat(run("segments", "--csv", strong.toString(), "--json")).isEqualTo(1);
        assertThat(err.toString()).contains("strong.tsv:8").contains("six");

        out.getBuffer().setLength(0);
        assertThat(run("segments", "--csv", strong.toString(), "--json", "--on-error", "skip", "--jobs", "3",
                "--job-index", "2")).as(err.toString()).isZero();
        JsonNode json = new ObjectMapper().readTree(out.toString());
        assertThat(json.get("events").asLong()).isEqualTo(7);
        assertThat(json.get("skipped_lines").asLong()).isEqualTo(1);
        assertThat(json.get("segments").asLong()).isEqualTo(3);
        assertThat(json.get("selected").asLong()).isEqualTo(1);
        assertThat(json.get("per_label").get("/m/015p6").asLong()).isEqualTo(1);
        assertThat(json.get("per_label").get("/m/09x0r").asLong()).isEqualTo(1);
    }

    @Test
    void readableTableByDefault() {
        int code = run("segments", "--csv", TestData.evalSegments().toString(), "--top", "3");
        assertThat(code).isZero();
        assertThat(out.toString()).contains("rows               20,371").contains("Music").contains("Speech")
                .contains("524 more labels");
    }

    @Test
    void badCsvExitsNonZeroNamingLineAndValue(@TempDir Path dir) throws IOException {
        Path csv = dir.resolve("bad.csv");
        Files.writeString(csv, "abcdefghijk, 0, 10, \"/m/09x0r\"\nabcdefghijk, 0, 10, \"/m/nope\"\n");
        assertThat(run("segments", "--csv", csv.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("bad.csv:2").contains("'/m/nope'");
    }

    @Test
    void missingFileAndBadUsage(@TempDir Path dir) {
        assertThat(run("segments", "--csv", dir.resolve("none.csv").toString())).isEqualTo(1);
        assertThat(err.toString()).contains("no such file").contains("none.csv");
        assertThat(run("segments")).isEqualTo(2);
        assertThat(run("segments", "--csv", "x.csv", "--job-index", "1")).isEqualTo(2);
        assertThat(err.toString()).contains("--job-index needs --jobs");
    }

    /**
     * A selection of no row printed "selected rows 0" and exited 0 without a word: a --label a row could have (but
     * none of this file's has), --limit 0, a job whose share is empty now warn on standard error, naming the file and
     * the filters; standard output and the exit code are as before. A --label no ontology class has is an error.
     */
    @Test
    void aSelectionOfNoRowWarnsNamingTheFileAndTheFilters(@TempDir Path dir) throws IOException {
        Path csv = dir.resolve("speech.csv");
        Files.writeString(csv, "# YTID, start_seconds, end_seconds, positive_labels\n"
                + "abcdefghijk, 0.000, 10.000, \"/m/09x0r\"\nbcdefghijkl, 0.000, 10.000, \"/m/09x0r\"\n");
        assertThat(run("segments", "--csv", csv.toString(), "--label", "Dog", "--label", "Cat")).isZero();
        assertThat(out.toString()).contains("selected rows      0\n");
        assertThat(err.toString()).isEqualTo("warning: " + csv + ": no segment selected (--label 'Dog' --label 'Cat'"
                + " selects none of its rows)\n");

        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        assertThat(run("segments", "--csv", csv.toString(), "--label", "Dog", "--json")).isZero();
        assertThat(new ObjectMapper().readTree(out.toString()).get("selected").asLong()).isZero();
        assertThat(err.toString()).contains("warning: " + csv + ": no segment selected (--label 'Dog'");

        err.getBuffer().setLength(0);
        assertThat(run("segments", "--csv", csv.toString(), "--limit", "0")).isZero();
        assertThat(err.toString()).contains("warning: " + csv + ": no segment selected (--limit 0 selects none");

        err.getBuffer().setLength(0);
        assertThat(run("segments", "--csv", csv.toString(), "--jobs", "3", "--job-index", "0")).isZero();
        assertThat(run("segments", "--csv", csv.toString(), "--jobs", "3", "--job-index", "1")).isZero();
        assertThat(run("segments", "--csv", csv.toString(), "--jobs", "3", "--job-index", "2")).isZero();
        assertThat(err.toString()).containsOnlyOnce("warning: ").contains(csv + ": no segment selected for job ")
                .contains(" of 3 (its share is empty: the selection's rows all go to the other jobs)\n");

        err.getBuffer().setLength(0);
        String strong = TestData.file("audioset/strong_sample.tsv").toString();
        assertThat(run("segments", "--csv", strong, "--label", "Tuning fork")).isZero();
        assertThat(err.toString()).isEqualTo("warning: " + strong + ": no segment selected (--label 'Tuning fork'"
                + " selects none of its rows)\n");

        err.getBuffer().setLength(0);
        assertThat(run("segments", "--csv", csv.toString(), "--label", "Speech")).isZero();
        assertThat(err.toString()).isEmpty();
        assertThat(run("segments", "--csv", csv.toString(), "--label", "Dgo")).isEqualTo(AudioSetCli.EXIT_FAILURE);
        assertThat(err.toString()).contains("'Dgo'").contains("did you mean 'Dog'");
    }
}
