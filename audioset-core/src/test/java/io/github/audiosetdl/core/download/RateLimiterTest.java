package io.github.audiosetdl.core.download;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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

    @Test
    void aPauseReportedWhileAWorkerWaitsForItsSlotHoldsThatWorkerToo() throws InterruptedException {
        List<Long> sleeps = new ArrayList<>();
        RateLimiter[] shared = new RateLimiter[1];
        // the fake sleep: halfway through this worker's first wait, another worker is rate-limited
        RateLimiter.Sleeper sleeper = nanos -> {
            sleeps.add(nanos);
            if (sleeps.size() == 1) {
                now.addAndGet(nanos / 2);
                shared[0].rateLimited();
                now.addAndGet(nanos - nanos / 2);
            } else {
                now.addAndGet(nanos);
            }
        };
        // one request a second, a 5 s pause after a rate limit
        RateLimiter limiter = new RateLimiter(60, Duration.ofSeconds(5), Duration.ofSeconds(8), now::get, sleeper);
        shared[0] = limiter;
        long start = now.get();
        assertThat(limiter.reserve()).isZero(); // another worker's request, now

        limiter.acquire(); // this worker's slot is at +1 s; the pause starts at +0.5 s and lasts until +5.5 s

        assertThat(now.get() - start).isEqualTo(5_500_000_000L);
        assertThat(sleeps).containsExactly(1_000_000_000L, 4_500_000_000L);
        // the next request is spaced one interval after the one that waited out the pause
        assertThat(limiter.reserve()).isEqualTo(1_000_000_000L);
    }

    @Test
    void aPauseThatEndsBeforeTheSlotDoesNotDelayIt() throws InterruptedException {
        List<Long> sleeps = new ArrayList<>();
        RateLimiter limiter = new RateLimiter(6, Duration.ofSeconds(1), Duration.ofSeconds(1), now::get, nanos -> {
            sleeps.add(nanos);
            now.addAndGet(nanos);
        });
        limiter.reserve();
        limiter.rateLimited(); // until +1 s; the next slot is at +10 s

        limiter.acquire();

        assertThat(sleeps).containsExactly(10_000_000_000L);
    }
}
