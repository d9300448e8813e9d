"""Statistics over a loaded ledger: headline figures, unit comparison and funnel limits, audit signals, printed vs ledger, explorer selections.
May import: ``ledger``, ``published`` and the top layer; never ``reporting``. Pure functions: DataFrames in, DataFrames or figures out.
"""
