from perfdsl.cli import main

main(prog_name="perfdsl")
