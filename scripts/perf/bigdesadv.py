#!/usr/bin/env python3
"""Writes one EDIFACT interchange of DESADV messages of about --mb megabytes (each --items lines
in cartons of ten, about 22 KB for 250 lines) from Nordwerk to the reference network: the input
of the memory check for large EDIFACT interchanges (docs/performance.md)."""
from big856 import check_digit, write_interchange


def despatch_advice(number, items):
    gtins = ["00614141000012", "00614141000029", "00614141000036", "00614141000043"]
    body = [f"UNH+{number}+DESADV:D:96A:UN:EAN005", f"BGM+351+DA-BIG-{number}+9", "DTM+137:20261121:102",
            "DTM+11:202611210800:203", "RFF+ON:PO-4500099", "NAD+SU+4012345000009::9++Nordwerk Befestigungstechnik GmbH",
            "NAD+DP+0614141000043::9++Denver distribution center", "TDT+20++30++DHLF:::DHL Freight", "CPS+1",
            f"PAC+{(items + 9) // 10}++201"]
    level = 1
    for index in range(items):
        if index % 10 == 0:
            level += 1
            base = "00614141" + f"{(number * items + index) // 10 % 10**9:09d}"
            body += [f"CPS+{level}+1", "PAC+1++CT", "PCI+33E", f"GIN+BJ+{base}{check_digit(base)}"]
        body += [f"LIN+{index + 1}++{gtins[index % 4]}:SRV", f"PIA+1+NW-{index}:SA", f"QTY+12:{index % 5 + 1}:CS", "PCI+36E",
                 f"GIN+BX+L{index}"]
    body.append(f"CNT+2:{items}")
    body.append(f"UNT+{len(body) + 1}+{number}")
    return "".join(s + "'\n" for s in body)


def main():
    args, messages = write_interchange(
        __doc__, "UNA:+.? '\nUNB+UNOC:3+4012345000009:14+0614141000012:14+261121:0815+NW000481'\n",
        despatch_advice, lambda messages: f"UNZ+{messages}+NW000481'\n")
    print(f"{args.output}: {messages} messages of {args.items} lines")


if __name__ == "__main__":
    main()
