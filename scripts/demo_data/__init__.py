"""Demo and scale data of the project, behind scripts/generate_demo_data.py.

The demo (the card's worked example, a few hundred rows of CSV with its expected
answer) is built in Python:

    constants.py    evaluation instants, defaults and the population's vocabularies
    values.py       cell formatting (timestamps, booleans, money) and phones / postcodes
    model.py        people, companies, storefront records, orders, Sage rows, case intent
    registry.py     unique names, e-mails, phones, postcodes and VAT numbers
    core.py         BuilderBase: seeded choices and the makers every case family uses
    cast_dtc.py     consumer cases of the cast (new, returning with a changed e-mail)
    cast_b2b.py     business cases of the cast (new accounts, VAT not keyed)
    cast_traps.py   traps that must not be counted
    present.py      the matched population around the cast
    cast_siblings.py the sibling cards' cases (VAT mismatches, orders without a Sage
                    order) and the sales orders of the nightly sync, after the worked example
    builder.py      DemoBuilder: the families put together, ids, intent check
    rows.py         one CSV row writer per raw table, and the expected answers
    readme.py       the demo's README
    cli.py          the command line

The scale datasets (R0.1 ... R10) are built by DuckDB: scale_settings.py (sizes, rates),
scale_population.py, scale_tables.py and scale.py (the files and their manifest).

The raw table layout comes from scripts/raw_tables.py, which reads the dbt sources YAML;
scripts/ is on the import path (generate_demo_data.py puts it there).
"""
