package dev.hfr.browser;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * A page that tries things from inside the browser and draws each attempt's outcome as a cell (NetworkBlockTest,
 * DevToolsIsolationTest): one 28 px wide column per attempt, 32 px apart, red when the attempt reached something,
 * green when it was refused, blue (left as is) when it got no answer in time. Cell {@code self} is the control, a
 * fetch of the page's own origin, which must work. The composition registers its timeline once every attempt
 * settled, or after 4 s.
 */
final class ProbePage {
    private ProbePage() {
    }

    /**
     * The page: {@code script} runs after {@code settle(name, reached)} exists and the {@code self} probe started;
     * it calls {@code settle} once for each of the other cells.
     */
    static String html(String compositionId, List<String> cells, String script) {
        return """
                <!doctype html>
                <html><head><style>
                  body { margin: 0; background: #000; }
                  #root { position: relative; width: 320px; height: 180px; }
                  .cell { position: absolute; top: 0; width: 28px; height: 180px; background: #00f; }
                </style></head>
                <body><div id="root" data-composition-id="%1$s" data-width="320" data-height="180" data-duration="1"></div>
                <script>
                  const cells = %2$s;
                  const root = document.getElementById('root');
                  const outcome = {};
                  cells.forEach((name, i) => {
                    const d = document.createElement('div');
                    d.className = 'cell'; d.id = 'c-' + name; d.style.left = (i * 32) + 'px';
                    root.appendChild(d);
                  });
                  function settle(name, reached) {
                    if (name in outcome) return;
                    outcome[name] = reached;
                    document.getElementById('c-' + name).style.background = reached ? '#f00' : '#0f0';
                    if (Object.keys(outcome).length === cells.length) register();
                  }
                  let registered = false;
                  function register() {
                    if (registered) return;
                    registered = true;
                    window.__timelines['%1$s'] = { duration: () => 1, totalTime: () => 0, time: () => 0, pause() {} };
                  }
                  setTimeout(register, 4000);
                  fetch('/index.html').then(r => settle('self', r.ok), () => settle('self', false));
                %3$s
                </script></body></html>
                """.formatted(compositionId, cells.stream().map(c -> "'" + c + "'").toList(), script);
    }

    /** Each cell's outcome in the captured frame, as {@code name=reached|refused|no answer|unknown rgb}. */
    static List<String> outcomes(BufferedImage frame, List<String> cells) {
        List<String> outcomes = new ArrayList<>();
        for (int i = 0; i < cells.size(); i++) {
            int[] c = TestSites.patch(frame, i * 32 + 9, 80, 10);
            String state = TestSites.near(c, 255, 0, 0, 40) ? "reached" : TestSites.near(c, 0, 255, 0, 40) ? "refused"
                    : TestSites.near(c, 0, 0, 255, 40) ? "no answer" : "unknown " + TestSites.rgb(c);
            outcomes.add(cells.get(i) + "=" + state);
        }
        return outcomes;
    }

    /** What a blocked page shows: its own origin reached, every other attempt refused. */
    static List<String> onlySelfReached(List<String> cells) {
        List<String> expected = new ArrayList<>();
        expected.add("self=reached");
        cells.stream().skip(1).forEach(c -> expected.add(c + "=refused"));
        return expected;
    }
}
