"""coursepack: Markdown session plans -> validated course -> SCORM 1.2 / 2004 packages.

The pipeline has one module per stage:

    loader.py    files -> models (reads YAML, Markdown; knows nothing about SCORM)
    content.py   Markdown -> HTML for one document, with asset references resolved
    checks.py    rules across the whole course (ids, durations, quizzes)
    render.py    models -> HTML pages through Jinja2 templates
    scorm.py     models -> imsmanifest.xml (the only module that knows SCORM)
    package.py   files -> reproducible zip, written atomically
    build.py     the pipeline: load, check, then render and package
    cli.py       the only place that prints or exits
"""

__version__ = "0.1.0"
