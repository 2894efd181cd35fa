#!/usr/bin/env python3
"""Writes one X12 interchange of 856 ship notices of about --mb megabytes (each set --items item
lines in cartons of ten, about 20 KB for 250 items) from ACME to the reference network: the input
of the memory check for large interchanges (docs/performance.md)."""
import argparse


def check_digit(digits):
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(digits)))
    return str((10 - total % 10) % 10)


def ship_notice(number, items):
    gtins = ["00614141000012", "00614141000029", "00614141000036", "00614141000043"]
    body = [f"BSN*00*ASN-BIG-{number}*20261120*0915", "HL*1**S", "TD1*PLT94*1****G*812.5*LB",
            "TD5*B*2*ODFL*M*ODFL LTL", "REF*BM*BOL190077", "DTM*011*20261120*0915*ET",
            "N1*ST*RECEIVING*UL*0614141000012", "HL*2*1*O", "PRF*PO45000077"]
    hl = 2
    for index in range(items):
        if index % 10 == 0:
            hl += 1
            base = "00614141" + f"{(number * items + index) // 10 % 10**9:09d}"
            body += [f"HL*{hl}*2*P", f"MAN*GM*{base}{check_digit(base)}"]
        pack = hl
        hl += 1
        body += [f"HL*{hl}*{pack}*I", f"LIN*{index + 1}*UK*{gtins[index % 4]}*VP*AC-{index}",
                 f"SN1**{index % 5 + 1}*CA", f"REF*LT*L{index}"]
    body.append(f"CTT*{hl}")
    control = f"{number:04d}"[-9:]
    return f"ST*856*{control}~\n" + "".join(s + "~\n" for s in body) + f"SE*{len(body) + 2}*{control}~\n"


def write_interchange(description, header, document, trailer):
    """Parses --mb, --items and the output path, then writes `header`, as many documents
    (`document(number, items)`) as make about --mb megabytes, and `trailer(count)`."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--mb", type=float, default=50)
    parser.add_argument("--items", type=int, default=250)
    parser.add_argument("output")
    args = parser.parse_args()
    count = max(1, int(args.mb * 1_000_000 / len(document(1, args.items))))
    with open(args.output, "w") as out:
        out.write(header)
        for number in range(1, count + 1):
            out.write(document(number, args.items))
        out.write(trailer(count))
    return args, count


def main():
    args, sets = write_interchange(
        __doc__,
        "ISA*00*          *00*          *ZZ*ACMEIND        *ZZ*CROSSDOCK      *261120*0915*U*00401*000000077*0*P*>~\n"
        "GS*SH*ACMEIND*CROSSDOCK*20261120*0915*77*X*004010~\n",
        ship_notice, lambda sets: f"GE*{sets}*77~\nIEA*1*000000077~\n")
    print(f"{args.output}: {sets} transaction sets of {args.items} items")


if __name__ == "__main__":
    main()
