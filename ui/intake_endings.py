"""The right-hand side of the intake: how the call ends (办理方式).

Four faces of one panel: the endings to choose from (dispatch / answered on the call / not in
scope / register only) with what is still missing; the not-in-scope reason with the sentence to
say; the answer given on the call; and the result — the ticket number to tell the citizen. The
intake page wires the buttons to its own actions; this module only lays them out.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox, QFrame, QLabel, QPlainTextEdit, QPushButton, QSizePolicy, QStackedWidget,
    QVBoxLayout, QWidget,
)

from ui.ticket_common import COLOUR_MUTED, FieldError, big_font

CHOICES, REJECT, RESOLVE, DONE = range(4)


class IntakeEndings(QStackedWidget):
    """The ending panel; ``setCurrentIndex(CHOICES | REJECT | RESOLVE | DONE)``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMaximumWidth(420)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)

        # 0: the three endings
        choices = QFrame()
        choices.setObjectName("endingChoices")
        lay = QVBoxLayout(choices)
        hint = QLabel(self.tr("办理方式"))
        hint.setFont(big_font(hint, 1.15))
        lay.addWidget(hint)
        self.dispatch_button = QPushButton(self.tr("登记并转办　Ctrl+D"))
        self.dispatch_button.setToolTip(self.tr("登记后打开派单面板（直接转办 / 联合转办 / 交办）"))
        self.resolve_button = QPushButton(self.tr("当场解答　Ctrl+J"))
        self.resolve_button.setToolTip(self.tr("电话中已答复群众：记录答复内容，工单办结"))
        self.reject_button = QPushButton(self.tr("不予受理　Ctrl+B"))
        self.reject_button.setToolTip(self.tr("不属于受理范围：选择原因，向群众说明正确的反映渠道"))
        self.register_button = QPushButton(self.tr("仅登记　Ctrl+S"))
        self.register_button.setToolTip(self.tr("只登记工单，稍后再转办"))
        for b in (self.dispatch_button, self.resolve_button, self.reject_button, self.register_button):
            b.setMinimumHeight(38)
            lay.addWidget(b)
        self.dispatch_button.setObjectName("primary")  # the usual ending: the desk's accent colour
        self.missing_label = QLabel()
        self.missing_label.setWordWrap(True)
        self.missing_label.setStyleSheet(f"color:{COLOUR_MUTED};")
        lay.addWidget(self.missing_label)
        self.submit_error = QLabel()
        self.submit_error.setWordWrap(True)
        self.submit_error.setStyleSheet("color:#b3261e;")
        self.submit_error.hide()
        lay.addWidget(self.submit_error)
        lay.addStretch(1)
        self.addWidget(choices)

        # 1: not in scope
        reject = QFrame()
        lay = QVBoxLayout(reject)
        t = QLabel(self.tr("不予受理"))
        t.setFont(big_font(t, 1.15))
        lay.addWidget(t)
        self.reason = QComboBox()
        r_label = QLabel(self.tr("原因(&Y)"))
        r_label.setBuddy(self.reason)
        lay.addWidget(r_label)
        lay.addWidget(self.reason)
        lay.addWidget(QLabel(self.tr("请向群众说明：")))
        self.reason_sentence = QLabel()
        self.reason_sentence.setWordWrap(True)
        self.reason_sentence.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.reason_sentence.setStyleSheet(
            "background:#eef4fb; border:1px solid #c7d7ea; border-radius:4px; padding:8px;")
        self.reason_sentence.setFont(big_font(self.reason_sentence, 1.1, bold=False))
        lay.addWidget(self.reason_sentence)
        self.reject_confirm = QPushButton(self.tr("确认不予受理　Ctrl+Enter"))
        self.back_from_reject = QPushButton(self.tr("返回　Esc"))
        lay.addWidget(self.reject_confirm)
        lay.addWidget(self.back_from_reject)
        lay.addStretch(1)
        self.addWidget(reject)

        # 2: answered on the call
        resolve = QFrame()
        lay = QVBoxLayout(resolve)
        t = QLabel(self.tr("当场解答"))
        t.setFont(big_font(t, 1.15))
        lay.addWidget(t)
        a_label = QLabel(self.tr("答复内容(&Z)"))
        lay.addWidget(a_label)
        self.answer = QPlainTextEdit()
        self.answer.setTabChangesFocus(True)
        self.answer.setPlaceholderText(self.tr("在电话中告诉群众的答复（政策依据、办理地点、所需材料等）"))
        a_label.setBuddy(self.answer)
        lay.addWidget(self.answer, 1)
        self.answer_error = FieldError()
        lay.addWidget(self.answer_error)
        self.resolve_confirm = QPushButton(self.tr("确认已解答　Ctrl+Enter"))
        self.back_from_resolve = QPushButton(self.tr("返回　Esc"))
        lay.addWidget(self.resolve_confirm)
        lay.addWidget(self.back_from_resolve)
        self.addWidget(resolve)

        # 3: the result — the ticket number, big
        done = QFrame()
        done.setObjectName("endingDone")
        done.setStyleSheet("#endingDone { background:#f3f8f3; border:1px solid #cfe3cf; border-radius:6px; }")
        lay = QVBoxLayout(done)
        lay.addWidget(QLabel(self.tr("工单编号（请告知群众）")))
        self.number_label = QLabel()
        self.number_label.setFont(big_font(self.number_label, 1.3))
        self.number_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.number_label.setStyleSheet("color:#1d3d1f;")
        lay.addWidget(self.number_label)
        self.result_status = QLabel()
        self.result_status.setWordWrap(True)
        self.result_status.setFont(big_font(self.result_status, 1.0))
        lay.addWidget(self.result_status)
        self.result_text = QLabel()
        self.result_text.setWordWrap(True)
        self.result_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.result_text.setStyleSheet(
            "background:white; border:1px solid #d0d7de; border-radius:4px; padding:8px;")
        lay.addWidget(self.result_text)
        self.after_dispatch = QPushButton(self.tr("转办　Ctrl+D"))
        lay.addWidget(self.after_dispatch)
        self.next_button = QPushButton(self.tr("下一张登记　Ctrl+Shift+N"))
        lay.addWidget(self.next_button)
        lay.addStretch(1)
        self.addWidget(done)
        # never narrower than the widest button of any face (English words are longer than
        # Chinese); the style sheet's padding counts, so measure once it is applied
        faces = (choices, reject, resolve, done)
        for face in faces:
            face.ensurePolished()
            for b in face.findChildren(QPushButton):
                b.ensurePolished()
        self.setMinimumWidth(max(230, *(face.minimumSizeHint().width() for face in faces)))
