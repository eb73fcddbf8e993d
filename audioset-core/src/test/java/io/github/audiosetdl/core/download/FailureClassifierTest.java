package io.github.audiosetdl.core.download;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class FailureClassifierTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "ERROR: [youtube] abcdefghijk: Video unavailable | PERMANENT",
        "ERROR: [youtube] abcdefghijk: Private video. Sign in if you've been granted access | PERMANENT",
        "ERROR: [youtube] abcdefghijk: This video has been removed by the uploader | PERMANENT",
        "ERROR: [youtube] abcdefghijk: Sign in to confirm your age. This video may be inappropriate | PERMANENT",
        "ERROR: [youtube] abcdefghijk: Sign in to confirm you're not a bot | RATE_LIMITED",
        "ERROR: [youtube] abcdefghijk: Sign in to confirm you\u2019re not a bot | RATE_LIMITED",
        "ERROR: unable to download video data: HTTP Error 429: Too Many Requests | RATE_LIMITED",
        "ERROR: unable to download webpage: HTTP Error 404: Not Found | PERMANENT",
        "ERROR: unable to download webpage: HTTP Error 503: Service Unavailable | TRANSIENT",
        "ERROR: [generic] Unable to download webpage: <urlopen error [Errno 111] Connection refused> | TRANSIENT",
        "ERROR: [generic] Unable to download webpage: The read operation timed out | TRANSIENT",
        "http://127.0.0.1:40404/media/x.m4a: Server returned 404 Not Found | PERMANENT",
        "http://127.0.0.1:40404/media/x.m4a: Server returned 403 Forbidden (access denied) | PERMANENT",
        "http://h/x: Server returned 4XX Client Error, but not one of 40{0,1,3,4} | PERMANENT",
        "[http @ 0x1] HTTP error 429 Too Many Requests / http://h/x: Server returned 4XX Client Error | RATE_LIMITED",
        "[http @ 0x1] HTTP error 410 Gone / http://h/x: Server returned 4XX Client Error | PERMANENT",
        "http://h/x: Server returned 5XX Server Error reply | TRANSIENT",
        "http://h/x: Invalid data found when processing input | PERMANENT",
        "Connection to tcp://127.0.0.1:9 failed: Connection refused | TRANSIENT",
        "http://h/x: Input/output error | TRANSIENT",
        "ffmpeg killed after 120 s (stalled transfer) | TRANSIENT",
        "something nobody has seen before | TRANSIENT"})
    void classifiesToolMessages(String message, FailureClass expected) {
        assertThat(FailureClassifier.classify(message)).isEqualTo(expected);
    }

    /** One or more real messages per rule of the table (yt-dlp's YouTube wording, ffmpeg's, ours). */
    static Stream<Arguments> messages() {
        return Stream.of(
                of("ERROR: [youtube] abcdefghijk: Sign in to confirm you\u2019re not a bot. Use --cookies-from-browser"
                        + " or --cookies for the authentication.", FailureReason.BOT_CHECK, FailureClass.RATE_LIMITED),
                of("ERROR: [youtube] abcdefghijk: Sign in to confirm you're not a bot",
                        FailureReason.BOT_CHECK, FailureClass.RATE_LIMITED),
                of("ERROR: [youtube] abcdefghijk: Video unavailable. YouTube is requiring a captcha challenge before"
                        + " playback", FailureReason.BOT_CHECK, FailureClass.RATE_LIMITED),
                of("ERROR: unable to download video data: HTTP Error 429: Too Many Requests",
                        FailureReason.RATE_LIMITED, FailureClass.RATE_LIMITED),
                of("ERROR: [youtube] abcdefghijk: This content isn't available, try again later. The current session"
                        + " has been rate-limited by YouTube for up to an hour", FailureReason.RATE_LIMITED,
                        FailureClass.RATE_LIMITED),
                of("ERROR: unable to download webpage: HTTP Error 503: Service Unavailable",
                        FailureReason.NETWORK, FailureClass.TRANSIENT),
                of("http://h/x: Server returned 5XX Server Error reply", FailureReason.NETWORK, FailureClass.TRANSIENT),
                of("ERROR: unable to download webpage: HTTP Error 404: Not Found",
                        FailureReason.NOT_FOUND, FailureClass.PERMANENT),
                of("[http @ 0x1] HTTP error 410 Gone", FailureReason.NOT_FOUND, FailureClass.PERMANENT),
                of("http://h/x: Server returned 403 Forbidden (access denied)",
                        FailureReason.FORBIDDEN, FailureClass.PERMANENT),
                of("http://h/x: Server returned 4XX Client Error, but not one of 40{0,1,3,4}",
                        FailureReason.OTHER, FailureClass.PERMANENT),
                of("ERROR: [generic] Unable to download webpage: The read operation timed out",
                        FailureReason.NETWORK, FailureClass.TRANSIENT),
                of("short transfer: 1000 of 160000 frames", FailureReason.NETWORK, FailureClass.TRANSIENT),
                of("ERROR: [youtube] abcdefghijk: Video unavailable. The uploader has not made this video available in"
                        + " your country", FailureReason.REGION_BLOCKED, FailureClass.PERMANENT),
                of("ERROR: [youtube] abcdefghijk: This video is not available from your location due to geo"
                        + " restriction", FailureReason.REGION_BLOCKED, FailureClass.PERMANENT),
                of("ERROR: [youtube] abcdefghijk: Video unavailable. This video is no longer available because the"
                        + " YouTube account associated with this video has been terminated.",
                        FailureReason.ACCOUNT_TERMINATED, FailureClass.PERMANENT),
                of("ERROR: [youtube] abcdefghijk: Video unavailable. This video is no longer available due to a"
                        + " copyright claim by Example Records", FailureReason.COPYRIGHT, FailureClass.PERMANENT),
                of("ERROR: [youtube] abcdefghijk: Join this channel to get access to members-only content like this"
                        + " video, and other exclusive perks.", FailureReason.MEMBERS_ONLY, FailureClass.PERMANENT),
                of("ERROR: [youtube] abcdefghijk: Sign in to confirm your age. This video may be inappropriate for"
                        + " some users.", FailureReason.AGE_RESTRICTED, FailureClass.PERMANENT),
                of("ERROR: [youtube] abcdefghijk: Private video. Sign in if you've been granted access to this video",
                        FailureReason.PRIVATE, FailureClass.PERMANENT),
                of("ERROR: [youtube] abcdefghijk: This video has been removed for violating YouTube's Terms of"
                        + " Service", FailureReason.REMOVED, FailureClass.PERMANENT),
                of("http://h/x: Invalid data found when processing input", FailureReason.BAD_MEDIA,
                        FailureClass.PERMANENT),
                of("segment starts past the end: start 30.000 s, media 12.000 s", FailureReason.BAD_MEDIA,
                        FailureClass.PERMANENT),
                of("ERROR: [youtube] abcdefghijk: Requested format is not available",
                        FailureReason.BAD_MEDIA, FailureClass.PERMANENT),
                of("ERROR: [youtube:truncated_id] abcdefg: Incomplete YouTube ID abcdefg",
                        FailureReason.NOT_FOUND, FailureClass.PERMANENT),
                of("refused media URL file:///etc/passwd", FailureReason.FORBIDDEN, FailureClass.PERMANENT),
                of("ERROR: Unsupported URL: ftp://x", FailureReason.OTHER, FailureClass.PERMANENT),
                // YouTube's refusal of yt-dlp's client, for every video until yt-dlp is updated (yt-dlp issues
                // 10108, 13930): never "unavailable", which a rerun would not request again
                of("ERROR: [youtube] abcdefghijk: The following content is not available on this app.. Watch on the"
                        + " latest version of YouTube.", FailureReason.OTHER, FailureClass.PERMANENT),
                of("ERROR: [youtube] abcdefghijk: Video unavailable", FailureReason.UNAVAILABLE,
                        FailureClass.PERMANENT),
                of("ERROR: [youtube] abcdefghijk: This video is unavailable", FailureReason.UNAVAILABLE,
                        FailureClass.PERMANENT),
                // a certificate this machine does not trust (a company's TLS proxy): every clip fails alike until
                // the setup changes, so not retried clip by clip, nor settled
                of("TLS error (PKIX path building failed: sun.security.provider.certpath.SunCertPathBuilderException:"
                        + " unable to find valid certification path to requested target)", FailureReason.OTHER,
                        FailureClass.PERMANENT),
                of("ERROR: [youtube] abcdefghijk: Unable to download webpage: <urlopen error [SSL:"
                        + " CERTIFICATE_VERIFY_FAILED] certificate verify failed: unable to get local issuer"
                        + " certificate (_ssl.c:1006)> (caused by CertificateVerifyError)", FailureReason.OTHER,
                        FailureClass.PERMANENT),
                of("something nobody has seen before", FailureReason.OTHER, FailureClass.TRANSIENT));
    }

    private static Arguments of(String message, FailureReason reason, FailureClass failureClass) {
        return Arguments.of(message, reason, failureClass);
    }

    @ParameterizedTest
    @MethodSource("messages")
    void givesEachMessageItsReasonAndClass(String message, FailureReason reason, FailureClass failureClass) {
        assertThat(FailureClassifier.reason(message)).as(message).isEqualTo(reason);
        assertThat(FailureClassifier.classify(message)).as(message).isEqualTo(failureClass);
    }

    @Test
    void everyRuleOfTheTableIsExercisedByAMessage() {
        Set<FailureClassifier.Rule> hit = new HashSet<>();
        messages().forEach(a -> hit.add(FailureClassifier.match((String) a.get()[0])));
        List<FailureClassifier.Rule> missed = FailureClassifier.RULES.stream().filter(r -> !hit.contains(r)).toList();
        assertThat(missed).isEmpty();
        assertThat(hit).contains(FailureClassifier.UNKNOWN);
    }

    @Test
    void everyReasonIsReachableAndRoundTripsThroughItsLabel() {
        Set<FailureReason> reached = new HashSet<>();
        messages().forEach(a -> reached.add((FailureReason) a.get()[1]));
        assertThat(reached).containsExactlyInAnyOrder(FailureReason.values());
        for (FailureReason r : FailureReason.values()) {
            assertThat(FailureReason.ofLabel(r.label())).contains(r);
        }
        assertThat(FailureReason.ofLabel("")).isEmpty();
        assertThat(FailureReason.ofLabel("Private")).isEmpty();
    }
}
