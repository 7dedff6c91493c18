"""The site engine, behind one package: everything that knows the staged tree becomes a site.

- `staging`: the staged tree written to build/staging/ (whole, or only what changed) and the output folders;
- `choice`: which engine renders it (MkDocs, or ProperDocs with PAPERNOTES_ENGINE=properdocs);
- `render`: the engine's build and Pagefind's index in subprocesses, the link check, the swap into site/;
- `linkcheck`: the engine-independent check of the built site's links and anchors;
- `serve`: `papernotes serve`, a static server with live reload over dirty rebuilds and a background reindex.

Nothing else in papernotes runs, configures or names the engine: the emitters write Markdown and
the conductor hands the staged files here. The package is named `engine`, not `site`, because
`emit/site.py` already emits the staged tree and `site/` is the built output folder.
"""
