package io.github.audiosetdl.core.download.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    @Test
    void spacesRequestsEvenlyOverAllCallers() {
        RateLimiter limiter = new RateLimiter(120, Duration.ofSeconds(1), Duration.ofSeconds(8), now::get);
        assertThat(limiter.reserve()).isZero();
        assertThat(limiter.reserve()).isEqualTo(500_000_000L);
        assertThat(limiter.reserve()).isEqualTo(1_000_000_000L);
        now.addAndGet(10_000_000_000L);
        assertThat(limiter.reserve()).isZero();
    }

    @Test
    void noBudgetMeansNoWait() {
        RateLimiter limiter = new RateLimiter(0, Duration.ofSeconds(1), Duration.ofSeconds(8), now::get);
        for (int i = 0; i < 100; i++) {
            assertThat(limiter.reserve()).isZero();
        }
    }

    @Test
    void aRateLimitPausesEveryWorkerLongerEachTimeUntilASuccess() {
        RateLimiter limiter = new RateLimiter(0, Duration.ofSeconds(1), Duration.ofSeconds(3), now::get);
        assertThat(limiter.rateLimited()).isEqualTo(1_000_000_000L);
        // any worker's next request waits for the pause, not only the one that was limited
        assertThat(limiter.reserve()).isEqualTo(1_000_000_000L);
        assertThat(limiter.reserve()).isEqualTo(1_000_000_000L);
        now.addAndGet(1_000_000_000L);
        assertThat(limiter.rateLimited()).isEqualTo(2_000_000_000L);
        now.addAndGet(2_000_000_000L);
        assertThat(limiter.rateLimited()).isEqualTo(3_000_000_000L); // capped
        limiter.succeeded();
        now.addAndGet(3_000_000_000L);
        assertThat(limiter.rateLimited()).isEqualTo(1_000_000_000L);
        assertThat(limiter.pauses()).isEqualTo(4);
    }
}
