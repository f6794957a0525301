"""Real SMPP delivery receipts: the short_message (or message_payload) of a deliver_sm, quoted
from public SMPP implementations, gateways, their tests and issue threads, and from SMS
providers' documentation; each entry names its source (repository and path, or the address
of the issue or page) in the comment above it.

Strings are quoted as their source has them. Where the source holds a PDU in hexadecimal, the
string is its decoded short_message, bytes above 0x7F read as Latin-1 (a log keeps them so);
a page that wrapped a receipt over two lines is joined. Nothing else is changed: the dates are
those of the source (tests/test_smpp_corpus.py moves them into the years the dashboard
accepts before loading).

Each case says what the dashboard must make of the receipt: the SMPP state stored and the
message id, and the instants its submit and done dates mean (ISO 8601: the dates are WIB,
+07:00, unless the receipt gives its own offset), or the reason it is rejected. `err` is the
error code as written; `needs` names what the parser had to learn to read it (empty: the
parser before issue 14 already did)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Receipt:
    name: str
    text: str
    state: str | None  # the SMPP state stored; None: the receipt is rejected
    message_id: str | None
    submitted: str  # what the dates mean, stored or not
    done: str | None
    err: str | None = None  # err as written; None: the receipt has none
    reject: str | None = None  # the reject reason code when state is None
    needs: tuple[str, ...] = ()


RECEIPTS = [
    # twitter-archive/cloudhopper-smpp src/test/java/com/cloudhopper/smpp/transcoder/
    # PduDecoderTest.java (decodeDeliverSMWithDeliveryReceipt..., a PDU from a real SMSC; also
    # DeliveryReceiptTest.java parseRealWorldReceipt0). The text ends in ':'.
    Receipt("cloudhopper-real-world", "id:0059113978 sub:001 dlvrd:001 submit date:1002101730"
            " done date:1002101731 stat:DELIVRD err:000 text:@$#!%&/:",
            "DELIVRD", "0059113978", "2010-02-10 17:30+07:00", "2010-02-10 17:31+07:00", "000"),
    # twitter-archive/cloudhopper-smpp src/test/java/com/cloudhopper/smpp/transcoder/
    # PduDecoderTest.java: a PDU whose short message stops inside "text:"
    Receipt("cloudhopper-cut-text", "id:0000003005 sub:001 dlvrd:001 submit date:1001181431"
            " done date:1001181431 stat:DELIVRD err:000 te",
            "DELIVRD", "0000003005", "2010-01-18 14:31+07:00", "2010-01-18 14:31+07:00", "000"),
    # twitter-archive/cloudhopper-smpp src/test/java/com/cloudhopper/smpp/transcoder/
    # PduDecoderTest.java: an intermediate ACCEPTD with err 107, the text starting with a space
    Receipt("cloudhopper-acceptd-107", "id:94251430923 sub:001 dlvrd:001 submit date:0911040124"
            " done date:0911040124 stat:ACCEPTD err:107 text: 26F102",
            "ACCEPTD", "94251430923", "2009-11-04 01:24+07:00", "2009-11-04 01:24+07:00", "107"),
    # twitter-archive/cloudhopper-smpp src/test/java/com/cloudhopper/smpp/transcoder/
    # PduDecoderTest.java: 'Text:' capitalised, the text padded with spaces to 20 characters
    Receipt("cloudhopper-padded-text", "id:126e85a6edeac1a02020099312479564 sub:001 dlvrd:001"
            " submit date:1002191630 done date:1002191630 stat:DELIVRD err:000 Text:Hello"
            + " " * 15,
            "DELIVRD", "126e85a6edeac1a02020099312479564", "2010-02-19 16:30+07:00",
            "2010-02-19 16:30+07:00", "000"),
    # twitter-archive/cloudhopper-smpp src/test/java/com/cloudhopper/smpp/util/
    # DeliveryReceiptTest.java and demo/DeliveryReceiptMain.java: no sub, dlvrd or text,
    # 14-digit dates (YYYYMMDDhhmmss), err of one digit
    Receipt("cloudhopper-14-digit-dates", "id:2E179B310EDE971B2760C72B7F026E1B"
            " submit date:20110314181534 done date:20110314181741 stat:DELIVRD err:0",
            "DELIVRD", "2E179B310EDE971B2760C72B7F026E1B", "2011-03-14 18:15:34+07:00",
            "2011-03-14 18:17:41+07:00", "0", needs=("date_14_digits",)),
    # twitter-archive/cloudhopper-smpp src/test/java/com/cloudhopper/smpp/util/
    # DeliveryReceiptTest.java (parseReceiptWithFieldsOutOfOrder): fields out of order, stat
    # after an empty text
    Receipt("cloudhopper-out-of-order", "sub:001 id:74e02ee1-4e2f-4a6e-a78b-4b247d756a22"
            " err:000 dlvrd:001 done date:110206193110 submit date:110206193041 text:"
            " stat:DELIVRD",
            "DELIVRD", "74e02ee1-4e2f-4a6e-a78b-4b247d756a22", "2011-02-06 19:30:41+07:00",
            "2011-02-06 19:31:10+07:00", "000"),
    # twitter-archive/cloudhopper-smpp src/test/java/com/cloudhopper/smpp/util/
    # DeliveryReceiptTest.java (parseReceiptWithTimestampIncludingSeconds)
    Receipt("cloudhopper-seconds", "id:74e02ee1-4e2f-4a6e-a78b-4b247d756a22 sub:001 dlvrd:001"
            " submit date:110206193041 done date:110206193110 stat:DELIVRD err:000 text:",
            "DELIVRD", "74e02ee1-4e2f-4a6e-a78b-4b247d756a22", "2011-02-06 19:30:41+07:00",
            "2011-02-06 19:31:10+07:00", "000"),
    # twitter-archive/cloudhopper-smpp src/test/java/com/cloudhopper/smpp/util/
    # DeliveryReceiptTest.java (the err of pull request 42,
    # https://github.com/twitter-archive/cloudhopper-smpp/pull/42, issue 40)
    Receipt("cloudhopper-err-21b", "id:0123456789 sub:002 dlvrd:001 submit date:1005232039"
            " done date:1005242339 stat:DELIVRD err:21b text:This is a sample mes",
            "DELIVRD", "0123456789", "2010-05-23 20:39+07:00", "2010-05-24 23:39+07:00", "21b"),
    # twitter-archive/cloudhopper-smpp src/test/java/com/cloudhopper/smpp/util/
    # DeliveryReceiptTest.java (parseShortMessage)
    Receipt("cloudhopper-err-012", "id:0123456789 sub:002 dlvrd:001 submit date:1005232039"
            " done date:1005242339 stat:DELIVRD err:012 text:This is a sample mes",
            "DELIVRD", "0123456789", "2010-05-23 20:39+07:00", "2010-05-24 23:39+07:00", "012"),
    # twitter-archive/cloudhopper-smpp src/test/java/com/cloudhopper/smpp/util/
    # DeliveryReceiptTest.java: a one-digit id, 'Text:'
    Receipt("cloudhopper-id-4", "id:4 sub:001 dlvrd:001 submit date:1006020051"
            " done date:1006020051 stat:DELIVRD err:000 Text:Hello",
            "DELIVRD", "4", "2010-06-02 00:51+07:00", "2010-06-02 00:51+07:00", "000"),
    # twitter-archive/cloudhopper-smpp src/test/java/com/cloudhopper/smpp/util/
    # DeliveryReceiptTest.java: an intermediate state
    Receipt("cloudhopper-enroute", "id:98765432101 sub:000 dlvrd:000 submit date:1001010000"
            " done date:1001010000 stat:ENROUTE err:000 text:",
            "ENROUTE", "98765432101", "2010-01-01 00:00+07:00", "2010-01-01 00:00+07:00", "000"),
    # jookies/jasmin tests/protocols/smpp/test_operations.py (test_is_delivery_standard)
    Receipt("jasmin-standard", "id:1891273321 sub:001 dlvrd:001 submit date:1305050826"
            " done date:1305050826 stat:DELIVRD err:000 text:DLVRD TO MOBILE",
            "DELIVRD", "1891273321", "2013-05-05 08:26+07:00", "2013-05-05 08:26+07:00", "000"),
    # jookies/jasmin tests/protocols/smpp/test_operations.py (test_is_delivery_clickatell_70,
    # https://github.com/jookies/jasmin/issues/70): Clickatell's receipts
    Receipt("jasmin-clickatell", "id:a29f6845555647139e5c8f3b817f2c9a sub:001 dlvrd:001"
            " submit date:141023215253 done date:141023215259 stat:DELIVRD err:000 text:HOLA",
            "DELIVRD", "a29f6845555647139e5c8f3b817f2c9a", "2014-10-23 21:52:53+07:00",
            "2014-10-23 21:52:59+07:00", "000"),
    # jookies/jasmin tests/protocols/smpp/test_operations.py (test_is_delivery_jasmin_153,
    # https://github.com/jookies/jasmin/issues/153): a UUID id
    Receipt("jasmin-uuid", "id:4a38dc46-5125-4969-90be-72104c340d5c sub:001 dlvrd:001"
            " submit date:150519232657 done date:150519232657 stat:DELIVRD err:000 text:-",
            "DELIVRD", "4a38dc46-5125-4969-90be-72104c340d5c", "2015-05-19 23:26:57+07:00",
            "2015-05-19 23:26:57+07:00", "000"),
    # jookies/jasmin tests/protocols/smpp/test_operations.py (test_is_delivery_jasmin_195,
    # https://github.com/jookies/jasmin/issues/195): 12-digit dates as YYYYMMDDhhmm
    Receipt("jasmin-yyyymmddhhmm", "id:c87c2273-7edb-4bc7-8d3a-7f57f21b625e"
            " submit date:201506201641 done date:201506201641 stat:DELIVRD err:000",
            "DELIVRD", "c87c2273-7edb-4bc7-8d3a-7f57f21b625e", "2015-06-20 16:41+07:00",
            "2015-06-20 16:41+07:00", "000", needs=("date_yyyymmddhhmm",)),
    # jookies/jasmin tests/protocols/smpp/test_operations.py (test_is_delivery_goip): a GoIP
    # gateway's receipt, sub and dlvrd of one and two digits, 'Text:' holding control bytes
    Receipt("jasmin-goip", "id:68673723 sub:1 dlvrd:13 submit date:1909301545"
            " done date:1909301545 stat:DELIVRD err:0 Text:\x04\x1a",
            "DELIVRD", "68673723", "2019-09-30 15:45+07:00", "2019-09-30 15:45+07:00", "0"),
    # jookies/jasmin tests/protocols/smpp/test_pdu_decoding.py (a deliver_sm PDU): UNDELIV
    Receipt("jasmin-undeliv", "id:6a3ed98a66444e8abac3acd9bba8656f sub:001 dlvrd:000"
            " submit date:141016003650 done date:141016003800 stat:UNDELIV err:000 text:",
            "UNDELIV", "6a3ed98a66444e8abac3acd9bba8656f", "2014-10-16 00:36:50+07:00",
            "2014-10-16 00:38:00+07:00", "000"),
    # jookies/jasmin tests/protocols/smpp/test_pdu_decoding.py (test_any_network_error_code,
    # https://github.com/jookies/jasmin/issues/117)
    Receipt("jasmin-network-error", "id:bc59b8aa-2fd2-4035-8113-19301e050079 sub:001"
            " dlvrd:001 submit date:150508144058 done date:150508144058 stat:DELIVRD err:000"
            " text:-",
            "DELIVRD", "bc59b8aa-2fd2-4035-8113-19301e050079", "2015-05-08 14:40:58+07:00",
            "2015-05-08 14:40:58+07:00", "000"),
    # jookies/jasmin tests/protocols/smpp/test_pdu_decoding.py
    # (test_deliver_sm_with_message_payload): the receipt in message_payload, no sub, dlvrd or
    # text, ending in the C string's NUL
    Receipt("jasmin-payload-nul", "id:0000436949 submit date:1504211508"
            " done date:1504211508 stat:DELIVRD err:000\x00",
            "DELIVRD", "0000436949", "2015-04-21 15:08+07:00", "2015-04-21 15:08+07:00", "000",
            needs=("err_nul",)),
    # jookies/jasmin tests/protocols/smpp/test_pdu_decoding.py: an 18-digit id, err of four
    # digits
    Receipt("jasmin-err-0000", "id:145100315320224957 sub:001 dlvrd:001"
            " submit date:1510031732 done date:1510031732 stat:DELIVRD err:0000"
            " text:Test (mehdi)",
            "DELIVRD", "145100315320224957", "2015-10-03 17:32+07:00", "2015-10-03 17:32+07:00",
            "0000"),
    # jookies/jasmin tests/protocols/smpp/test_pdu_decoding.py: a hexadecimal id, the text
    # holding '=' pairs
    Receipt("jasmin-hex-id", "id:4D19C83C sub:001 dlvrd:001 submit date:1510090105"
            " done date:1510090105 stat:DELIVRD err:0000 text:GW250 MCC=270 MNC=1 BillingMNC=1",
            "DELIVRD", "4D19C83C", "2015-10-09 01:05+07:00", "2015-10-09 01:05+07:00", "0000"),
    # jookies/jasmin tests/protocols/smpp/test_pdu_decoding.py: 8-bit text
    Receipt("jasmin-8bit-text", "id:0416342074 sub:001 dlvrd:001 submit date:2101041522"
            " done date:2101041522 stat:DELIVRD err:000"
            " text:\x84A\x89O\x88 ENTO\x84H. \x8cAPAKA",
            "DELIVRD", "0416342074", "2021-01-04 15:22+07:00", "2021-01-04 15:22+07:00", "000"),
    # https://github.com/jookies/jasmin/issues/447: an operator's failed receipt, "stat:FAILED"
    # (a final failure: Mblox and SMS Central list it too) and a done date of zeros.
    # Pending: the sample data uses FAILED as its unknown-state defect (test_smpp_corpus.py)
    Receipt("jasmin-447-failed", "id:1216080510463401720 sub:001 dlvrd:001"
            " submit date:1608051046 done date:0000000000 stat:FAILED err:002 Text:",
            "UNDELIV", "1216080510463401720", "2016-08-05 10:46+07:00", None, "002",
            needs=("state_word", "date_zeros")),
    # python-smpplib/python-smpplib smpplib/tests/test_command.py (test_parse_deliver_sm): a
    # UCS-2 text
    Receipt("smpplib-ucs2-text", "id:0489708364 sub:001 dlvrd:001 submit date:1810151907"
            " done date:1810151907 stat:DELIVRD err:000"
            " text:\x04\x1f\x04@\x048\x042\x045\x04B",
            "DELIVRD", "0489708364", "2018-10-15 19:07+07:00", "2018-10-15 19:07+07:00", "000"),
    # python-smpplib/python-smpplib smpplib/tests/test_command.py
    # (test_unrecognised_optional_parameters)
    Receipt("smpplib-seconds", "id:795920026 sub:001 dlvrd:001 submit date:200319131913"
            " done date:200319131913 stat:DELIVRD err:000 text:",
            "DELIVRD", "795920026", "2020-03-19 13:19:13+07:00", "2020-03-19 13:19:13+07:00",
            "000"),
    # opentelecoms-org/jsmpp jsmpp/src/test/java/org/jsmpp/util/DeliveryReceiptParserTest.java
    # (ORIGINAL_MESSAGE is "testing jSMPP bow")
    Receipt("jsmpp-text", "id:0123456789 sub:001 dlvrd:001 submit date:0809011130"
            " done date:0809011131 stat:DELIVRD err:000 text:testing jSMPP bow",
            "DELIVRD", "0123456789", "2008-09-01 11:30+07:00", "2008-09-01 11:31+07:00", "000"),
    # opentelecoms-org/jsmpp jsmpp/src/test/java/org/jsmpp/util/DeliveryReceiptParserTest.java:
    # seconds, and the message after err without a text: key
    Receipt("jsmpp-no-text-key", "id:0123456789 sub:001 dlvrd:001 submit date:080901113012"
            " done date:080901113147 stat:DELIVRD err:000 testing jSMPP bow",
            "DELIVRD", "0123456789", "2008-09-01 11:30:12+07:00", "2008-09-01 11:31:47+07:00",
            "000"),
    # opentelecoms-org/jsmpp jsmpp/src/test/java/org/jsmpp/util/DeliveryReceiptParserTest.java
    Receipt("jsmpp-no-sub", "id:1526758174 submit date:1701240904 done date:1701250907"
            " stat:DELIVRD err:000 text:testing jSMPP bow",
            "DELIVRD", "1526758174", "2017-01-24 09:04+07:00", "2017-01-25 09:07+07:00", "000"),
    # https://github.com/opentelecoms-org/jsmpp/issues/62: an SMSC that omits sub and dlvrd
    Receipt("jsmpp-62", "id:1526758174 submit date:1701240904 done date:1701240904"
            " stat:DELIVRD err:000 text:hellow",
            "DELIVRD", "1526758174", "2017-01-24 09:04+07:00", "2017-01-24 09:04+07:00", "000"),
    # opentelecoms-org/jsmpp jsmpp-examples/src/test/java/org/jsmpp/examples/receipts/
    # ExampleDeliveryReceiptStripperTest.java: no err, no text
    Receipt("jsmpp-no-err", "id:123456 sub:234 dlvrd:000 submit date:1604052345"
            " done date:1605021145 stat:DELIVRD",
            "DELIVRD", "123456", "2016-04-05 23:45+07:00", "2016-05-02 11:45+07:00"),
    # opentelecoms-org/jsmpp jsmpp-examples/src/test/java/org/jsmpp/examples/receipts/
    # CustomDeliveryReceiptStripperTest.java: err before stat, and a vendor state (an Indian
    # "do not disturb" rejection) that is not an SMPP state: no count can place it
    Receipt("jsmpp-dnd-rejected", "id:0123456789 sub:002 dlvrd:003 submit date:0809011130"
            " done date:0809021131 err:123 stat:DND_REJECTED text:Hello World",
            None, None, "2008-09-01 11:30+07:00", "2008-09-02 11:31+07:00", "123",
            reject="unknown_status"),
    # https://github.com/farhadi/node-smpp/issues/77: sub and dlvrd of one and two digits, a
    # two-digit err, 'Text:'
    Receipt("node-smpp-77", "id:45013692 sub:0 dlvrd:28 submit date:1908121157"
            " done date:1908121158 stat:UNDELIV err:21 Text:*100#",
            "UNDELIV", "45013692", "2019-08-12 11:57+07:00", "2019-08-12 11:58+07:00", "21"),
    # https://github.com/farhadi/node-smpp/issues/199: 12-digit dates
    Receipt("node-smpp-199", "id:0000029095 sub:001 dlvrd:001 submit date:211125034959"
            " done date:211125035001 stat:DELIVRD err:000 text:",
            "DELIVRD", "0000029095", "2021-11-25 03:49:59+07:00", "2021-11-25 03:50:01+07:00",
            "000"),
    # https://github.com/uudashr/jsmpp/issues/67: no sub, dlvrd or text
    Receipt("uudashr-jsmpp-67", "id:0654354026 submit date:2302101454 done date:2302101454"
            " stat:DELIVRD err:000",
            "DELIVRD", "0654354026", "2023-02-10 14:54+07:00", "2023-02-10 14:54+07:00", "000"),
    # https://github.com/onlinecity/php-smpp/issues/70 (the PDU in the issue, decoded): err of
    # four digits, an escape in the text
    Receipt("php-smpp-70", "id:117062714244798261 sub:001 dlvrd:001 submit date:1706271624"
            " done date:1706271624 stat:DELIVRD err:0000 text:H\x1bello world",
            "DELIVRD", "117062714244798261", "2017-06-27 16:24+07:00", "2017-06-27 16:24+07:00",
            "0000"),
    # https://github.com/funbox/smppex/issues/46: dates as SMPP absolute times
    # (YYMMDDhhmmsstnnp, UTC+3), the done date three seconds before the submit date: a receipt
    # whose latency cannot be right is rejected
    Receipt("smppex-46-absolute-time", "id:rdwjwxns18krxr9936ey96ymcw sub:000 dlvrd:000"
            " submit date:180711070003912+ done date:180711070000012+ stat:UNDELIV err:000",
            None, None, "2018-07-11 07:00:03+03:00", "2018-07-11 07:00:00+03:00", "000",
            reject="done_before_submitted", needs=("date_smpp_absolute",)),
    # https://github.com/kneodev/ksmppd/issues/108: the operator's receipt, its state written
    # without the stat: key, so no state can be read
    Receipt("ksmppd-108-operator", "id:ce5bc5a9-4f7d-4282-9244-2e1022a9335c sub:000 dlvrd:000"
            " submit date:180903120815 done date:180903120816 DELIVRD err:000 Text:",
            None, None, "2018-09-03 12:08:15+07:00", "2018-09-03 12:08:16+07:00", "000",
            reject="unknown_status"),
    # https://github.com/kneodev/ksmppd/issues/108: the same message as ksmppd passed it on
    Receipt("ksmppd-108-client", "id:7d093bfa-4d65-4757-b0bb-177fc9d0a038 sub:001 dlvrd:001"
            " submit date:180903120232 done date:180903121447 stat:DELIVRD err:000 text:",
            "DELIVRD", "7d093bfa-4d65-4757-b0bb-177fc9d0a038", "2018-09-03 12:02:32+07:00",
            "2018-09-03 12:14:47+07:00", "000"),
    # larvit/larvitsmpp test/03_pdu.js: dlvrd of one digit, err of one digit
    Receipt("larvitsmpp", "id:450 sub:001 dlvrd:1 submit date:1504031342 done date:1504031342"
            " stat:DELIVRD err:0 text:xxx",
            "DELIVRD", "450", "2015-04-03 13:42+07:00", "2015-04-03 13:42+07:00", "0"),
    # https://help.nexmo.com/hc/en-us/articles/215468998-How-to-read-a-Nexmo-SMPP-Delivery-Receipt-
    Receipt("nexmo", "id:0000000012345678 sub:001 dlvrd:001 submit date:1601010100"
            " done date:1601010101 stat:DELIVRD err:000 text:none",
            "DELIVRD", "0000000012345678", "2016-01-01 01:00+07:00", "2016-01-01 01:01+07:00",
            "000"),
    # https://smppcenter.com/kb/how-read-smpp-delivery-receipt: a 20-digit id
    Receipt("smppcenter", "id:64567564356765435676 sub:001 dlvrd:001 submit date:190608165232"
            " done date:190608165237 stat:DELIVRD err:000 text:Hello World",
            "DELIVRD", "64567564356765435676", "2019-06-08 16:52:32+07:00",
            "2019-06-08 16:52:37+07:00", "000"),
    # https://docs.messagecloud.com/article/118-receiving-a-delivery-report
    Receipt("messagecloud", "id:5918351498722606 sub:001 dlvrd:001 submit date:1410311037"
            " done date:1410311038 stat:DELIVRD err:000 text:New HTTP Test TxtN",
            "DELIVRD", "5918351498722606", "2014-10-31 10:37+07:00", "2014-10-31 10:38+07:00",
            "000"),
    # https://blog.csdn.net/u012780541/article/details/84131118: an SMSC's UNDELIV, err 075
    Receipt("csdn-undeliv-075", "id:0911897980 sub:001 dlvrd:000 submit date:1201121551"
            " done date:1201121551 stat:UNDELIV err:075 text:-PROFILE",
            "UNDELIV", "0911897980", "2012-01-12 15:51+07:00", "2012-01-12 15:51+07:00", "075"),
    # https://www.aldeamo.ai/manual-de-integracion-wholesale/codigos-de-error/ (wrapped over
    # two lines on the page): 12-digit dates as YYYYMMDDhhmm
    Receipt("aldeamo-yyyymmddhhmm", "id:3b08ca73-4244-4717-9e88-082414ff3d2e"
            " submit date:202009281149 done date:202009281149 stat:DELIVRD err:000",
            "DELIVRD", "3b08ca73-4244-4717-9e88-082414ff3d2e", "2020-09-28 11:49+07:00",
            "2020-09-28 11:49+07:00", "000", needs=("date_yyyymmddhhmm",)),
]

# Receipts whose SMSC wrote the id in decimal while the same deliver_sm's
# receipted_message_id TLV (the form its submit_sm_resp gave) is lower-case hexadecimal, the
# case of Kannel's msg-id-type and Jasmin's dlr_msgid: (name in RECEIPTS, the TLV's value).
# Sources: the PDUs of the receipts named (cloudhopper PduDecoderTest.java, jasmin
# test_pdu_decoding.py, python-smpplib test_command.py).
DECIMAL_RECEIPT_HEX_SUBMISSION = [
    ("cloudhopper-real-world", "38601fa"),
    ("jasmin-payload-nul", "6aad5"),
    ("jasmin-8bit-text", "18d0e03a"),
    ("smpplib-ucs2-text", "1d305b4c"),
]
