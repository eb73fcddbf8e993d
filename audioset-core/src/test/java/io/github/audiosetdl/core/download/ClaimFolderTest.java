package io.github.audiosetdl.core.download;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.audiosetdl.core.ProcessTag;
import io.github.audiosetdl.core.testing.KilledRuns;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Claims on ids: held while their owner lives, taken over once it has ended or (another host's) grown old. */
class ClaimFolderTest {
    private static final Duration BOUND = Duration.ofMinutes(10);
    private static final String ID = "-claimTest0";

    /**
     * Another run of this process sweeping while a claim is being made (the file written, its entry in HELD not yet
     * put) waits for the maker, and keeps the claim: it removed it as one left behind, and the clip was fetched
     * twice (HostileDownloadTest.twoRunsOfOneClipAtOnceFetchItOnce, now and then).
     */
    @Test
    void aClaimOfThisProcessBeingMadeIsNotTakenForOneLeftBehind(@TempDir Path downloads) throws Exception {
        ClaimFolder claims = ClaimFolder.in(downloads, BOUND);
        Path file = claims.dir().resolve(ID + ClaimFolder.SUFFIX);
        String content = ProcessTag.current() + " 1234abcd\n";
        java.util.concurrent.CountDownLatch made = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch swept = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicInteger removed = new java.util.concurrent.atomic.AtomicInteger(-1);
        Thread maker = new Thread(() -> {
            synchronized (ClaimFolder.HELD) { // as claim() does: create the file, then put its entry
                try {
                    Files.writeString(file, content);
                    made.countDown();
                    swept.await(500, java.util.concurrent.TimeUnit.MILLISECONDS); // the sweep runs meanwhile
                    ClaimFolder.HELD.put(file, content);
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
        });
        maker.start();
        try {
            assertThat(made.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            Thread sweeper = new Thread(() -> {
                try {
                    removed.set(claims.sweep());
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                } finally {
                    swept.countDown();
                }
            });
            sweeper.start();
            sweeper.join(10_000);
            maker.join(10_000);
            assertThat(removed.get()).isZero();
            assertThat(file).as("the claim being made is kept").exists();
        } finally {
            ClaimFolder.HELD.remove(file);
        }
    }

    @Test
    void aClaimIsHeldUntilReleasedAndLeavesNothing(@TempDir Path downloads) throws Exception {
        ClaimFolder claims = ClaimFolder.in(downloads, BOUND);
        assertThat(claims.claim(ID)).isEmpty();
        Path file = downloads.resolve(".claims/" + ID + ".claim");
        assertThat(Files.readString(file)).startsWith(ProcessTag.current().toString());
        assertThat(claims.claim(ID)).contains(ProcessTag.current().toString());
        assertThat(ClaimFolder.in(downloads, BOUND).claim(ID)).as("another stage of this process").isPresent();
        claims.release(ID);
        assertThat(file).doesNotExist();
        assertThat(claims.claim(ID)).isEmpty();
        claims.release(ID);
        assertThat(listing(downloads.resolve(".claims"))).isEmpty();
    }

    @Test
    void aClaimIsHeldForAnotherStageReachingTheFolderThroughALinkedParent(@TempDir Path dir) throws Exception {
        Path real = Files.createDirectories(dir.resolve("real"));
        Path alias = Files.createSymbolicLink(dir.resolve("alias"), real);
        ClaimFolder claims = ClaimFolder.in(real.resolve("downloads"), BOUND);
        assertThat(claims.claim(ID)).isEmpty();
        // the other spelling's stage took this live claim for one of this process's earlier runs, took it over and
        // fetched the clip a second time
        assertThat(ClaimFolder.in(alias.resolve("downloads"), BOUND).claim(ID)).as("another stage of this process")
                .contains(ProcessTag.current().toString());
        claims.release(ID);
        assertThat(listing(real.resolve("downloads/.claims"))).isEmpty();
    }

    @Test
    void anotherHostsClaimIsRespectedUntilTheBound(@TempDir Path downloads) throws Exception {
        ClaimFolder claims = ClaimFolder.in(downloads, BOUND);
        Path file = plant(downloads, new ProcessTag("some-other-node", 4242, 1_700_000_000_000L) + " 1f\n");
        assertThat(claims.claim(ID)).contains("some-other-node~4242~1700000000000");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(BOUND).minusSeconds(5)));
        assertThat(claims.claim(ID)).isEmpty();
        assertThat(Files.readString(file)).startsWith(ProcessTag.current().toString());
        claims.release(ID);
    }

    /**
     * A live task's claim is renewed while the clip is in flight (budget waits can outlast the bound), so another
     * host never takes it for a crashed task's; a claim taken over by another is not touched.
     */
    @Test
    void theClaimsThisProcessHoldsAreRenewedSoAnotherHostKeepsRespectingThem(@TempDir Path downloads)
            throws Exception {
        ClaimFolder claims = ClaimFolder.in(downloads, BOUND);
        assertThat(claims.claim(ID)).isEmpty();
        Path file = downloads.resolve(".claims/" + ID + ".claim");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(BOUND).minusSeconds(5)));
        String other = "-claimTest1";
        assertThat(claims.claim(other)).isEmpty();
        Path taken = downloads.resolve(".claims/" + other + ".claim");
        Files.writeString(taken, new ProcessTag("some-other-node", 4242, 1_700_000_000_000L) + " 2f\n");
        FileTime old = FileTime.from(Instant.now().minus(BOUND).minusSeconds(5));
        Files.setLastModifiedTime(taken, old);

        assertThat(ClaimFolder.renewHeld()).isGreaterThanOrEqualTo(1);
        assertThat(Files.getLastModifiedTime(file).toInstant()).isAfter(Instant.now().minusSeconds(60));
        assertThat(Files.getLastModifiedTime(taken)).as("another's claim now").isEqualTo(old);
        claims.release(ID);
        claims.release(other);
        assertThat(ClaimFolder.RENEWAL).isLessThan(ClaimFolder.FOREIGN_MARGIN);
        assertThat(Thread.getAllStackTraces().keySet()).as("the daemon renewing them every RENEWAL")
                .anyMatch(t -> t.getName().equals("audioset-claim-renewal") && t.isDaemon());
    }

    /**
     * A claim appears with its owner in it, never empty: it was created empty and then written, and a run killed in
     * between (KillAndResumeTest, once in a CI run) left an empty claim that every later run took for a live task of
     * another host for the foreign bound (84 min by default), so the clip failed as "claimed by another task".
     * Another thread reads the claim while this one makes and releases it again and again.
     */
    @Test
    void aClaimIsNeverSeenWithoutItsOwner(@TempDir Path downloads) throws Exception {
        ClaimFolder claims = ClaimFolder.in(downloads, BOUND);
        Path file = claims.dir().resolve(ID + ClaimFolder.SUFFIX);
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicInteger seen = new java.util.concurrent.atomic.AtomicInteger();
        AtomicReference<String> ownerless = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            while (!done.get() && ownerless.get() == null) {
                try {
                    String content = Files.readString(file);
                    seen.incrementAndGet();
                    if (ProcessTag.find(content).isEmpty()) {
                        ownerless.set(content);
                    }
                } catch (IOException e) {
                    // not there: released, or not made yet
                }
            }
        });
        reader.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            for (int i = 0; i < 20_000 && ownerless.get() == null && System.nanoTime() < deadline; i++) {
                assertThat(claims.claim(ID)).isEmpty();
                claims.release(ID);
            }
        } finally {
            done.set(true);
            reader.join(10_000);
        }
        assertThat(ownerless.get()).as("a claim read without its owner (%d read)", seen.get()).isNull();
        assertThat(seen.get()).as("claims read").isPositive();
        assertThat(listing(claims.dir())).isEmpty();
    }

    /**
     * On a file system without hard links (exFAT, FAT, some FUSE and network mounts: Linux refuses link() with
     * EPERM, which Java reports as a FileSystemException), claims are made and taken over without: the draft
     * linked to the claim's name made every claim fail there, and with it every download into such a folder.
     */
    @ParameterizedTest
    @ValueSource(strings = {"EPERM", "unsupported"})
    void claimsWorkOnAFileSystemWithoutHardLinks(String refusal, @TempDir Path downloads) throws Exception {
        ClaimFolder.Linker none = (link, existing) -> {
            if (refusal.equals("EPERM")) {
                throw new java.nio.file.FileSystemException(link.toString(), existing.toString(),
                        "Operation not permitted");
            }
            throw new UnsupportedOperationException("no hard links");
        };
        ClaimFolder claims = ClaimFolder.in(downloads, BOUND, none);
        assertThat(claims.claim(ID)).isEmpty();
        Path file = claims.dir().resolve(ID + ClaimFolder.SUFFIX);
        assertThat(Files.readString(file)).startsWith(ProcessTag.current() + " ");
        assertThat(ClaimFolder.in(downloads, BOUND, none).claim(ID)).as("another stage of this process")
                .contains(ProcessTag.current().toString());
        claims.release(ID);
        assertThat(file).doesNotExist();
        Process ended = new ProcessBuilder("true").start();
        assertThat(ended.waitFor(10, TimeUnit.SECONDS)).isTrue();
        plant(downloads, new ProcessTag(ProcessTag.current().host(), ended.pid(), System.currentTimeMillis() - 1)
                + " 4c\n");
        assertThat(claims.claim(ID)).as("a killed run's claim taken over").isEmpty();
        assertThat(Files.readString(file)).startsWith(ProcessTag.current() + " ");
        claims.release(ID);
        assertThat(listing(claims.dir())).isEmpty();
    }

    /** A link refused for another reason than the file system's (the draft is gone, say) is an error. */
    @Test
    void aLinkRefusedForAnotherReasonIsAnError(@TempDir Path downloads) throws Exception {
        ClaimFolder claims = ClaimFolder.in(downloads, BOUND, (link, existing) -> {
            Files.delete(existing);
            throw new java.nio.file.FileSystemException(link.toString(), existing.toString(), "gone");
        });
        assertThatThrownBy(() -> claims.claim(ID)).isInstanceOf(IOException.class).hasMessageContaining("gone");
        assertThat(listing(claims.dir())).isEmpty();
    }

    @Test
    void aClaimWithoutAReadableOwnerCountsAsAnotherHosts(@TempDir Path downloads) throws Exception {
        ClaimFolder claims = ClaimFolder.in(downloads, BOUND);
        Path file = plant(downloads, "");
        assertThat(claims.claim(ID)).contains("an unknown owner");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(BOUND).minusSeconds(5)));
        assertThat(claims.claim(ID)).isEmpty();
        claims.release(ID);
    }

    @Test
    void aLiveLocalProcessKeepsItsClaimAndAnEndedOnesIsTakenOver(@TempDir Path downloads) throws Exception {
        ClaimFolder claims = ClaimFolder.in(downloads, BOUND);
        Process sleeper = new ProcessBuilder("sleep", "30").start();
        try {
            ProcessTag live = tagOf(sleeper.toHandle());
            Path file = plant(downloads, live + " 2e\n");
            assertThat(claims.claim(ID)).contains(live.toString());
            assertThat(claims.sweep()).isZero();
            sleeper.destroy();
            assertThat(sleeper.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(claims.claim(ID)).as("its owner has ended").isEmpty();
            assertThat(Files.readString(file)).startsWith(ProcessTag.current().toString());
            claims.release(ID);
        } finally {
            sleeper.destroyForcibly();
        }
    }

    /**
     * Another user's process may be hidden from this one ({@code hidepid}): its claim ages out instead. Where
     * {@code /proc} hides none, its tag decides, as for this user's (root's claims on NFS with root_squash belong
     * to {@code nobody}).
     */
    @Test
    void anotherUsersClaimIsRespectedUntilTheBoundEvenWhenItsOwnerLooksEnded(@TempDir Path downloads)
            throws Exception {
        Assumptions.assumeTrue((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0,
                "needs root to give a file to another user");
        ProcessTag gone = KilledRuns.endedTag();
        Path file = plant(downloads, gone + " 6a\n");
        Files.setAttribute(file, "unix:uid", 65534);
        ClaimFolder claims = ClaimFolder.in(downloads, BOUND);
        if (ProcessTag.judgedByItsTag(file)) { // no hidepid here: a killed run's claim is taken over at once
            assertThat(claims.claim(ID)).as("no hidepid").isEmpty();
            claims.release(ID);
            return;
        }
        assertThat(claims.claim(ID)).contains(gone.toString());
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(BOUND).minusSeconds(5)));
        assertThat(claims.claim(ID)).as("too old now").isEmpty();
        claims.release(ID);
    }

    @Test
    void thisProcesssClaimFromARunThatCouldNotReleaseItIsTakenOver(@TempDir Path downloads) throws Exception {
        plant(downloads, ProcessTag.current() + " 3d\n");
        ClaimFolder claims = ClaimFolder.in(downloads, BOUND);
        assertThat(claims.claim(ID)).isEmpty();
        claims.release(ID);
        assertThat(listing(downloads.resolve(".claims"))).isEmpty();
    }

    @Test
    void sweepRemovesEndedOwnersClaimsAndKeepsLiveOnes(@TempDir Path downloads) throws Exception {
        Process ended = new ProcessBuilder("true").start();
        assertThat(ended.waitFor(10, TimeUnit.SECONDS)).isTrue();
        ProcessTag gone = new ProcessTag(ProcessTag.current().host(), ended.pid(), System.currentTimeMillis() - 1);
        plant(downloads, gone + " 4c\n");
        Path live = plant(downloads, "otherClaim1", new ProcessTag("some-other-node", 7, 1) + " 5b\n");
        Path aside = Files.writeString(downloads.resolve(".claims/." + ID + ".claim." + gone + ".1.tmp"), "x");
        ClaimFolder claims = ClaimFolder.in(downloads, BOUND);
        assertThat(claims.sweep()).isEqualTo(2);
        assertThat(listing(downloads.resolve(".claims"))).containsExactly(live.getFileName().toString());
        assertThat(aside).doesNotExist();
    }

    @Test
    void anInvalidIdNeverBecomesAFileName(@TempDir Path downloads) throws Exception {
        ClaimFolder claims = ClaimFolder.in(downloads, BOUND);
        assertThatThrownBy(() -> claims.claim("../../etc/x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> claims.claim("abc/def.ghi")).isInstanceOf(IllegalArgumentException.class);
        assertThat(listing(downloads.resolve(".claims"))).isEmpty();
    }

    @Test
    void theForeignBoundCoversEveryAttemptAndAMargin() {
        DownloadConfig config = DownloadConfig.builder(Path.of("out"), "test").build();
        assertThat(ClaimFolder.foreignBound(config)).isEqualTo(Duration.ofMinutes(84));
    }

    private static ProcessTag tagOf(ProcessHandle h) {
        return new ProcessTag(ProcessTag.current().host(), h.pid(),
                h.info().startInstant().map(Instant::toEpochMilli).orElse(0L));
    }

    private static Path plant(Path downloads, String content) throws Exception {
        return plant(downloads, ID, content);
    }

    private static Path plant(Path downloads, String id, String content) throws Exception {
        Files.createDirectories(downloads.resolve(".claims"));
        return Files.writeString(downloads.resolve(".claims/" + id + ".claim"), content);
    }

    private static java.util.List<String> listing(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
