package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.controller.ControllerConfig;
import dev.switchboard.controller.app.AppConfig;
import dev.switchboard.ovs.runtime.PrivateOvs;
import dev.switchboard.rest.RestConfig;
import dev.switchboard.server.Switchboard;
import dev.switchboard.server.SwitchboardConfig;
import dev.switchboard.topology.TopologyService;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The web view in a real browser (Debian's headless Chromium through its chromedriver) against a
 * controller with a real Mininet network: the drawn switches and links are Mininet's, a link
 * taken down leaves the picture by the live event stream, and the hosts and switch pages show
 * what the API says. Screenshots go beside the test reports.
 */
class WebViewIT {
    private static final String TOKEN = "it-token-" + RunNames.PREFIX;
    private static final Duration LIMIT = Duration.ofSeconds(30);
    private static final Path SCREENSHOTS = Path.of("target", "failsafe-reports");

    @Test
    void drawsTheTopologyAndFollowsALinkGoingDown() throws Exception {
        RestConfig rest = new RestConfig(true, "127.0.0.1", 0, Optional.of(TOKEN));
        Path profile = Files.createTempDirectory("switchboard-chromium-");
        WebDriver browser = null;
        try (PrivateOvs ovs = PrivateOvs.start();
                Switchboard switchboard = Switchboard.start(
                        ControllerConfig.builder().listen(List.of(new InetSocketAddress(ovs.controllerAddress(), 0))).build(),
                        SwitchboardConfig.defaults().ovsdb(), List.of("forwarding"), name -> AppConfig.of("apps." + name, Map.of()), rest);
                MininetNetwork net = MininetNetwork.start(ovs, "linear,3", switchboard.openflowAddresses().get(0).getPort(),
                        "OpenFlow13", RunNames.name("w"))) {
            JsonNode topology = net.topology();
            AppNetwork.awaitDiscovery(() -> switchboard.service(TopologyService.class).orElseThrow().current(), topology);
            assertThat(net.pingAll()).as(net.output()).isZero();

            browser = chromium(profile);
            browser.get("http://127.0.0.1:" + switchboard.rest().orElseThrow().port() + "/?token=" + TOKEN);
            WebDriver page = browser;

            Set<String> switches = new TreeSet<>(AppNetwork.mininetSwitches(topology).stream().map(WebViewIT::dpid).toList());
            Set<String> links = drawnKeys(AppNetwork.mininetSwitchLinks(topology));
            await().atMost(LIMIT).ignoreExceptionsInstanceOf(org.openqa.selenium.StaleElementReferenceException.class).untilAsserted(() -> {
                assertThat(attributes(page, "#nodes g.switch", "data-dpid")).isEqualTo(switches);
                assertThat(attributes(page, "#links line.link", "data-link")).isEqualTo(links);
            });
            assertThat(attributes(page, "#nodes g.host", "data-mac")).hasSize(3);
            // the token went from the address into the session, and from there into the headers
            assertThat(page.getCurrentUrl()).doesNotContain("token=");
            await().atMost(LIMIT).until(() -> Boolean.TRUE.equals(script(page, "return window.switchboard.streaming")));
            screenshot(page, "WebViewIT-linear3.png");

            // s2-s3 goes down: the picture loses that link, by the event stream alone
            net.link("s2", "s3", false);
            Set<String> remaining = new HashSet<>(links);
            remaining.removeIf(key -> key.contains(dpid(2)) && key.contains(dpid(3)));
            assertThat(remaining).hasSize(links.size() - 1);
            await().atMost(LIMIT).ignoreExceptionsInstanceOf(org.openqa.selenium.StaleElementReferenceException.class).untilAsserted(() ->
                    assertThat(attributes(page, "#links line.link", "data-link")).isEqualTo(remaining));
            assertThat(attributes(page, "#nodes g.switch", "data-dpid")).isEqualTo(switches);
            assertThat((Long) script(page, "return window.switchboard.eventsSeen")).isPositive();
            screenshot(page, "WebViewIT-link-down.png");

            // the hosts table: Mininet's three hosts by IP
            page.findElement(By.id("nav-hosts")).click();
            await().atMost(LIMIT).ignoreExceptionsInstanceOf(org.openqa.selenium.StaleElementReferenceException.class).untilAsserted(() -> assertThat(page.findElements(By.cssSelector("#hosts-table tbody tr"))
                    .stream().map(WebElement::getText).toList())
                    .hasSize(3).anySatisfy(row -> assertThat(row).contains("10.0.0.1"))
                    .anySatisfy(row -> assertThat(row).contains("10.0.0.3")));

            // a switch's page: its ports by their kernel names, and its flow table
            page.get(page.getCurrentUrl().replaceAll("#.*", "") + "#/switch/" + dpid(1));
            String s1 = net.kernelName("s1");
            await().atMost(LIMIT).ignoreExceptionsInstanceOf(org.openqa.selenium.StaleElementReferenceException.class).untilAsserted(() -> {
                assertThat(page.findElement(By.id("ports-table")).getText()).contains(s1 + "-eth1", s1 + "-eth2");
                assertThat(page.findElements(By.cssSelector("#flows-table tbody tr"))).isNotEmpty();
            });
            assertThat(page.findElement(By.id("flows-table")).getText()).containsIgnoringCase("output:controller");
            screenshot(page, "WebViewIT-switch.png");
        } catch (AssertionError | RuntimeException e) {
            if (browser != null) {
                screenshot(browser, "WebViewIT-failure.png");
            }
            throw e;
        } finally {
            if (browser != null) {
                browser.quit();
            }
            deleteTree(profile);
        }
    }

    private static WebDriver chromium(Path profile) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + profile, "--window-size=1280,900");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    private static Object script(WebDriver page, String script, Object... args) {
        return ((org.openqa.selenium.JavascriptExecutor) page).executeScript(script, args);
    }

    /** Read in one script, so a redraw between finding the elements and reading them cannot interfere. */
    @SuppressWarnings("unchecked")
    private static Set<String> attributes(WebDriver page, String css, String attribute) {
        List<String> values = (List<String>) script(page, "return Array.from(document.querySelectorAll(arguments[0]))"
                + ".map(e => e.getAttribute(arguments[1]))", css, attribute);
        return new TreeSet<>(values);
    }

    /** Mininet's directed links as the page keys its undirected ones: {@code dpid/port|dpid/port}, sorted ends. */
    private static Set<String> drawnKeys(Set<String> directed) {
        Set<String> keys = new TreeSet<>();
        for (String link : directed) {
            String[] ends = link.split("->");
            String a = end(ends[0]);
            String b = end(ends[1]);
            keys.add(a.compareTo(b) < 0 ? a + "|" + b : b + "|" + a);
        }
        return keys;
    }

    private static String end(String dpidSlashPort) {
        String[] parts = dpidSlashPort.split("/");
        return dpid(Long.parseLong(parts[0])) + "/" + parts[1];
    }

    private static String dpid(long value) {
        return org.projectfloodlight.openflow.types.DatapathId.of(value).toString();
    }

    private static void screenshot(WebDriver page, String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            byte[] png = ((org.openqa.selenium.TakesScreenshot) page).getScreenshotAs(OutputType.BYTES);
            Files.write(SCREENSHOTS.resolve(name), png);
        } catch (IOException | RuntimeException e) {
            System.err.println("WebViewIT: no screenshot " + name + ": " + e);
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
