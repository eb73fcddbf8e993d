package io.github.audiosetdl.core.download;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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
}
