package io.github.audiosetdl.core.download;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

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
        // the yt-dlp default filled in by build() is not a media URL: a copy switched to direct still needs one
        DownloadConfig ytDlp = DownloadConfig.builder(out, "x").build();
        assertThatThrownBy(() -> ytDlp.toBuilder().resolver(ResolverKind.DIRECT).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("URL template");
        assertThat(ytDlp.toBuilder().build()).isEqualTo(ytDlp);
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

    @Test
    void theCanonicalConstructorMakesWhatTheBuilderBuilds() throws Exception {
        DownloadConfig built = DownloadConfig.builder(out, "x").budgetFolder(null).build();
        DownloadConfig direct = new DownloadConfig(out, "x", 4, false, OptionalInt.of(16_000), ResolverKind.YT_DLP,
                DownloadConfig.YOUTUBE_TEMPLATE, 3, Duration.ofSeconds(2), Duration.ofMinutes(2), 0, Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Duration.ofSeconds(20),
                Duration.ofSeconds(120), false, false);
        assertThat(direct).isEqualTo(built).hasSameHashCodeAs(built).hasToString(built.toString());
        DownloadConfig c = DownloadConfig.builder(out, "x").proxy("http://bob:pw@127.0.0.1:3128").build();
        assertThat(c.toBuilder().build()).isEqualTo(c);
        assertThat(with(c, "maxRequestsPerMinute", -0.0)).as("-0.0 is no limit, as 0").isEqualTo(c);
    }

    static Stream<Arguments> badComponents() {
        String longDelay = "600000 ms is longer than the longest, 1000 ms";
        return Stream.of(
                Arguments.of(new Object[] {"threads", 0}, "threads 0 is not in 1..1024"),
                Arguments.of(new Object[] {"threads", 1025}, "threads 1025 is not in 1..1024"),
                Arguments.of(new Object[] {"name", "a/b"}, "'a/b'"),
                Arguments.of(new Object[] {"name", ".."}, "'..'"),
                Arguments.of(new Object[] {"sampleRate", OptionalInt.of(999)},
                        "sample rate 999 Hz is not in 1000..384000"),
                Arguments.of(new Object[] {"sampleRate", OptionalInt.of(0)}, "sample rate 0 Hz is not in 1000..384000"),
                Arguments.of(new Object[] {"urlTemplate", "http://h/media/x.m4a"}, "has no {id}"),
                Arguments.of(new Object[] {"urlTemplate", "ftp://alice:s3cret@h/{id}?sig=TOPSECRET"},
                        "URL template 'ftp://***@h/{id}?...' must start with http://, https:// or file:"),
                Arguments.of(new Object[] {"retries", -1}, "retries -1 is not in 0..100"),
                Arguments.of(new Object[] {"retryDelay", Duration.ofDays(2)},
                        "retry delay PT48H is not in PT0S..PT24H"),
                Arguments.of(new Object[] {"maxRetryDelay", Duration.ofSeconds(-1)},
                        "max retry delay PT-1S is not in PT0S..PT24H"),
                Arguments.of(new Object[] {"maxRequestsPerMinute", 1e-12}, "1.0E-12 must be 0 (no limit) or at least"),
                Arguments.of(new Object[] {"maxRequestsPerMinute", Double.NaN}, "NaN must be 0 (no limit)"),
                Arguments.of(new Object[] {"maxRequestsPerMinute", Double.POSITIVE_INFINITY}, "Infinity must be 0"),
                Arguments.of(new Object[] {"cookies", Optional.of(Path.of("/no/such/cookies.txt"))},
                        "cookies file /no/such/cookies.txt does not exist"),
                Arguments.of(new Object[] {"proxy", Optional.of("socks5://bob:s3cret@127.0.0.1:1080")},
                        "proxy 'socks5://***@127.0.0.1:1080': the media relay, which fetches the media, cannot use a"
                                + " socks5 proxy"),
                Arguments.of(new Object[] {"proxy", Optional.of("http://bob:s3c@ret@127.0.0.1:3128")},
                        "proxy 'http://***@127.0.0.1:3128' is not a URL like http://host:port (an @, : or / in the"
                                + " user name or password must be written %40, %3A or %2F)"),
                Arguments.of(new Object[] {"ytDlp", Optional.of(Path.of("/no/such/yt-dlp"))},
                        "yt-dlp '/no/such/yt-dlp' is not an executable file"),
                Arguments.of(new Object[] {"ffmpeg", Optional.of(Path.of("/no/such/ffmpeg"))},
                        "ffmpeg '/no/such/ffmpeg' is not an executable file"),
                Arguments.of(new Object[] {"socketTimeout", Duration.ofMillis(1)},
                        "socket timeout PT0.001S is not in PT0.1S..PT10M"),
                Arguments.of(new Object[] {"toolTimeout", Duration.ofHours(2)},
                        "tool timeout PT2H is not in PT1S..PT1H"),
                Arguments.of(new Object[] {"retryDelay", Duration.ofMinutes(10), "maxRetryDelay",
                    Duration.ofSeconds(1)}, "the first retry delay " + longDelay),
                Arguments.of(new Object[] {"resolver", ResolverKind.DIRECT, "urlTemplate", null},
                        "the direct resolver needs a URL template (the media URL with {id})"),
                Arguments.of(new Object[] {"resolver", ResolverKind.DIRECT, "urlTemplate",
                    "http://alice:s3cret@audioset_mirror_1:8080/{id}.m4a?sig=TOPSECRET"},
                        "the direct resolver's URL template 'http://***@audioset_mirror_1:8080/{id}.m4a?...' has no"
                                + " host the media relay can read"));
    }

    @ParameterizedTest
    @MethodSource("badComponents")
    void theCanonicalConstructorRefusesWhatTheBuilderRefusesWithItsMessage(Object[] changes, String message) {
        DownloadConfig c = DownloadConfig.builder(out, "x").build();
        assertThatThrownBy(() -> with(c, changes)).as(Arrays.toString(changes))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message)
                .hasMessageNotContaining("s3cret").hasMessageNotContaining("TOPSECRET");
    }

    @Test
    void theCanonicalConstructorRefusesNullComponents() {
        DownloadConfig c = DownloadConfig.builder(out, "x").build();
        for (RecordComponent rc : DownloadConfig.class.getRecordComponents()) {
            if (!rc.getType().isPrimitive()) {
                assertThatThrownBy(() -> with(c, rc.getName(), null)).as(rc.getName())
                        .isInstanceOf(NullPointerException.class).hasMessageContaining(rc.getName());
            }
        }
    }

    @Test
    void theLoggedConfigurationShowsNoProxyCookiesOrTemplateSecret(@TempDir Path dir) throws Exception {
        Path cookies = Files.writeString(dir.resolve("alices-cookies.txt"), "# Netscape HTTP Cookie File\n");
        DownloadConfig c = DownloadConfig.builder(out, "x").resolver(ResolverKind.DIRECT)
                .urlTemplate("http://alice:s3cret@127.0.0.1:1/{id}.m4a?sig=TOPSECRET").cookies(cookies)
                .proxy("http://bob:pr0xy-pw@127.0.0.1:3128").build();
        assertThat(c.toString()).doesNotContain("s3cret").doesNotContain("TOPSECRET").doesNotContain("pr0xy-pw")
                .doesNotContain("bob").doesNotContain("alices-cookies")
                .contains("template=http://***@127.0.0.1:1/{id}.m4a?...");
        assertThat(c.proxy()).hasValue("http://bob:pr0xy-pw@127.0.0.1:3128");
        assertThat(c.cookies()).hasValue(cookies);
    }

    /** @return {@code c} with the named components replaced, made by the canonical constructor */
    private static DownloadConfig with(DownloadConfig c, Object... nameValuePairs) throws Exception {
        RecordComponent[] components = DownloadConfig.class.getRecordComponents();
        Object[] values = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            values[i] = components[i].getAccessor().invoke(c);
            types[i] = components[i].getType();
            for (int j = 0; j < nameValuePairs.length; j += 2) {
                if (components[i].getName().equals(nameValuePairs[j])) {
                    values[i] = nameValuePairs[j + 1];
                }
            }
        }
        try {
            return DownloadConfig.class.getConstructor(types).newInstance(values);
        } catch (InvocationTargetException e) {
            throw (Exception) e.getCause();
        }
    }
}
