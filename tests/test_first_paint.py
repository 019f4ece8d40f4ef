"""The rewrite of the built HTML that lets a screen paint before its code loads (issue 12)."""

from __future__ import annotations

from cisp_pwa.first_paint import after_first_paint

PAGE = (
    '<!DOCTYPE html><html lang="fr"><head><link rel="modulepreload" href="/assets/a-1.js"/>'
    '<link rel="modulepreload" href="/assets/b-2.js"/><script>/* lang, dir */</script>'
    '<link href="/assets/s.css" rel="stylesheet"/></head><body><main>Bienvenue</main>'
    '<script type="module" async="">import "/assets/a-1.js";\nimport("/assets/b-2.js");</script>'
    '<script>window.x = 1;</script></body></html>'
)


def test_modules_leave_the_head_for_a_template():
    out = after_first_paint(PAGE)
    head, body = out.split("</head>", 1)
    assert "modulepreload" not in head and "<script>/* lang, dir */</script>" in head
    assert '<link href="/assets/s.css" rel="stylesheet"/>' in head
    assert ('<template id="cisp-modules"><link rel="modulepreload" href="/assets/a-1.js"/>'
            '<link rel="modulepreload" href="/assets/b-2.js"/></template>') in body
    assert '<script type="module" async="">import "/assets/a-1.js";' in body  # unchanged
    assert body.index("<main>") < body.index("<template") < body.index("window.x = 1")
    assert after_first_paint(out) == out  # once only


def test_a_page_without_module_script_is_left_alone():
    page = "<!DOCTYPE html><html><head></head><body><p>x</p></body></html>"
    assert after_first_paint(page) == page
