package io.github.audiosetdl.core.download;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DownloadConfigTest {
    private final Path out = Path.of("out");

    @Test
    void defaultsAreTheSeedsLayoutAt16kHzMonoThroughYtDlp() {
        DownloadConfig c = DownloadConfig.builder(out, "eval_segments").build();
        assertThat(c.downloadsDir()).isEqualTo(out.resolve("eval_segments_downloads"));
        assertThat(c.sampleRate()).hasValue(16_000);
        assertThat(c.resolver()).isEqualTo(ResolverKind.YT_DLP);
        assertThat(c.urlFor("-abcdefghij")).isEqualTo("https://www.youtube.com/watch?v=-abcdefghij");
        assertThat(c.toBuilder().build().toString()).isEqualTo(c.toString());
        assertThat(DownloadConfig.nameOf(Path.of("/d/balanced_train_segments.csv")))
                .isEqualTo("balanced_train_segments");
    }

    @Test
    void settersNameTheBadValue() {
        DownloadConfig.Builder b = DownloadConfig.builder(out, "x");
        assertThatThrownBy(() -> b.threads(0)).hasMessage("threads 0 is not in 1..1024");
        assertThatThrownBy(() -> b.sampleRate(999)).hasMessage("sample rate 999 Hz is not in 1000..384000");
        assertThatThrownBy(() -> b.retries(101)).hasMessage("retries 101 is not in 0..100");
        assertThatThrownBy(() -> b.urlTemplate("http://h/media/x.m4a")).hasMessageContaining("{id}");
        assertThatThrownBy(() -> b.urlTemplate("ftp://h/{id}")).hasMessageContaining("ftp://h/{id}");
        assertThatThrownBy(() -> b.retryDelay(Duration.ofSeconds(-1))).hasMessageContaining("PT-1S");
        assertThatThrownBy(() -> b.retryDelay(Duration.ofDays(2)))
                .hasMessage("retry delay PT48H is not in PT0S..PT24H");
        assertThatThrownBy(() -> b.maxRetryDelay(Duration.ofDays(2))).hasMessageContaining("PT48H");
        assertThatThrownBy(() -> b.maxRequestsPerMinute(-5)).hasMessageContaining("-5");
        assertThatThrownBy(() -> b.proxy("not a url")).hasMessageContaining("'not a url'");
        assertThatThrownBy(() -> b.cookies(Path.of("/no/such/cookies.txt"))).hasMessageContaining("cookies.txt");
        assertThatThrownBy(() -> ResolverKind.parse("curl")).hasMessageContaining("'curl'");
    }

    @Test
    void theLoggedConfigurationHoldsNoSignatureOrPassword() {
        DownloadConfig c = DownloadConfig.builder(out, "x").resolver(ResolverKind.DIRECT)
                .urlTemplate("http://alice:s3cret@127.0.0.1:1/{id}.m4a?sig=TOPSECRET").build();
        assertThat(c.toString()).doesNotContain("s3cret").doesNotContain("TOPSECRET")
                .contains("http://***@127.0.0.1:1/{id}.m4a?...");
        java.util.Map<String, String> env = new java.util.HashMap<>(java.util.Map.of("AUDIOSET_PROXY",
                "http://bob:pw@proxy:3128", "all_proxy", "socks5://bob:pw@proxy:1080", "PATH", "/usr/bin"));
        FfmpegSection.environment(env, c);
        assertThat(env).containsOnlyKeys("PATH");
    }

    @Test
    void aRefusedUrlTemplateIsNamedWithoutItsPasswordOrQuery() {
        DownloadConfig.Builder b = DownloadConfig.builder(out, "x");
        assertThatThrownBy(() -> b.urlTemplate("ftp://alice:s3cret@127.0.0.1/{id}?sig=TOPSECRET"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'ftp://***@127.0.0.1/{id}?...'")
                .hasMessageNotContaining("s3cret").hasMessageNotContaining("TOPSECRET");
        assertThatThrownBy(() -> b.urlTemplate("http://alice:s3cret@127.0.0.1/media.m4a?sig=TOPSECRET"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("has no {id}")
                .hasMessageNotContaining("s3cret").hasMessageNotContaining("TOPSECRET");
    }

    @Test
    void aProxyTheRelayCannotParseIsRefusedAtOnceWithoutItsPassword() {
        // a raw '@' in the password: yt-dlp would take it, but the media relay found no host and refused every clip
        // as a permanent failure ("forbidden"), so the run ended with exit 0 and nothing downloaded
        DownloadConfig.Builder b = DownloadConfig.builder(out, "x");
        assertThatThrownBy(() -> b.proxy("http://bob:p@ss@127.0.0.1:3128"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("%40")
                .hasMessageContaining("'http://***@127.0.0.1:3128'").hasMessageNotContaining("ss@");
        assertThatThrownBy(() -> b.proxy("socks5://bob:p@ss@127.0.0.1:1080")).hasMessageNotContaining("ss@");
        assertThat(b.proxy("http://bob:p%40ss@127.0.0.1:3128").build().proxy())
                .hasValue("http://bob:p%40ss@127.0.0.1:3128");
    }

    @Test
    void aDirectTemplateWithoutAHostTheRelayCanReadIsRefusedAtOnce() {
        // an underscore in the host (a Docker container's name): the relay refused every clip as a permanent
        // failure ("refused media URL ...: not a valid http or https URL"), and the run ended with exit 0
        DownloadConfig.Builder b = DownloadConfig.builder(out, "x").resolver(ResolverKind.DIRECT)
                .urlTemplate("http://audioset_mirror_1:8080/{id}.m4a");
        assertThatThrownBy(b::build).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'http://audioset_mirror_1:8080/{id}.m4a'").hasMessageContaining("host");
        assertThat(b.urlTemplate("http://audioset-mirror-1:8080/{id}.m4a").build().urlFor("abcdefghijk"))
                .isEqualTo("http://audioset-mirror-1:8080/abcdefghijk.m4a");
        assertThat(b.urlTemplate("file:/data/{id}.m4a").build().urlTemplate()).isEqualTo("file:/data/{id}.m4a");
        assertThat(b.resolver(ResolverKind.YT_DLP).urlTemplate("https://www.youtube.com/watch?v={id}").build()
                .resolver()).isEqualTo(ResolverKind.YT_DLP);
    }

    @Test
    void theDirectResolverNeedsATemplate() {
        assertThatThrownBy(() -> DownloadConfig.builder(out, "x").resolver(ResolverKind.DIRECT).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("URL template");
        assertThat(DownloadConfig.builder(out, "x").sourceFormat().build().sampleRate()).isEmpty();
        assertThat(DownloadConfig.builder(out, "x").build().sampleRate()).hasValue(16_000);
    }

    @Test
    void delaysBudgetsAndNamesAreCheckedTogether() {
        assertThatThrownBy(() -> DownloadConfig.builder(out, "x").retryDelay(Duration.ofMinutes(10))
                .maxRetryDelay(Duration.ofSeconds(1)).build()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("600000 ms is longer than the longest, 1000 ms");
        assertThatThrownBy(() -> DownloadConfig.builder(out, "x").maxRequestsPerMinute(1e-12))
                .hasMessageContaining("1.0E-12").hasMessageContaining("one an hour");
        assertThat(DownloadConfig.builder(out, "x").maxRequestsPerMinute(1.0 / 60).build().maxRequestsPerMinute())
                .isEqualTo(1.0 / 60);
        for (String bad : new String[] {"", " ", "a/b", "a\\b", "..", "tab\there"}) {
            assertThatThrownBy(() -> DownloadConfig.builder(out, bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'" + bad + "'");
        }
        assertThat(DownloadConfig.builder(out, "my segments").build().name()).isEqualTo("my segments");
    }
}
