<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>ActionForm</name>
    <message>
        <location filename="../../ui/ticket_detail.py" line="76"/>
        <source>同意</source>
        <extracomment>action buttons per row in the detail panel</extracomment>
        <translation>Approve</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_detail.py" line="76"/>
        <source>不同意（退回）</source>
        <translation>Do not approve (send back)</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_detail.py" line="82"/>
        <source>退单理由</source>
        <extracomment>what each action asks for before it is sent (field names are the service&apos;s parameters)</extracomment>
        <translation>Reason for returning</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_detail.py" line="84"/>
        <source>申请延至</source>
        <translation>Extend until</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_detail.py" line="85"/>
        <source>延期理由</source>
        <translation>Reason for extension</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_detail.py" line="87"/>
        <source>审批意见</source>
        <translation>Decision</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_detail.py" line="88"/>
        <source>说明</source>
        <translation>Comment</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_detail.py" line="90"/>
        <source>反馈方式</source>
        <translation>Reply method</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_detail.py" line="92"/>
        <source>办理过程</source>
        <translation>How it was handled</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_detail.py" line="93"/>
        <source>办理结果</source>
        <translation>Outcome</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_detail.py" line="95"/>
        <source>审核结论</source>
        <translation>Review decision</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_detail.py" line="96"/>
        <source>审核意见</source>
        <translation>Review comment</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_detail.py" line="98"/>
        <source>群众评价</source>
        <translation>Citizen&apos;s rating</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_detail.py" line="100"/>
        <source>回访记录</source>
        <translation>Callback notes</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_detail.py" line="102"/>
        <source>督办方式</source>
        <translation>Supervision method</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_detail.py" line="104"/>
        <source>督办内容</source>
        <translation>Supervision notes</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_detail.py" line="106"/>
        <source>答复内容</source>
        <translation>Answer given</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_detail.py" line="195"/>
        <source>确认{0}&#x3000;Ctrl+Enter</source>
        <extracomment>the core&apos;s field names that mean one of the form&apos;s fields</extracomment>
        <translation>Confirm: {0} (Ctrl+Enter)</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_detail.py" line="197"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_detail.py" line="241"/>
        <source>请填写{0}</source>
        <translation>Please fill in: {0}</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_detail.py" line="260"/>
        <source>；</source>
        <translation>; </translation>
    </message>
</context>
<context>
    <name>AgentBar</name>
    <message>
        <location filename="../../ui/agent_bar.py" line="101"/>
        <source>就绪</source>
        <translation>Ready</translation>
    </message>
    <message>
        <location filename="../../ui/agent_bar.py" line="104"/>
        <source>暂停原因</source>
        <translation>Pause reason</translation>
    </message>
    <message>
        <location filename="../../ui/agent_bar.py" line="105"/>
        <source>暂停</source>
        <translation>Pause</translation>
    </message>
    <message>
        <location filename="../../ui/agent_bar.py" line="155"/>
        <source>坐席</source>
        <translation>Agent</translation>
    </message>
    <message>
        <location filename="../../ui/agent_bar.py" line="163"/>
        <location filename="../../ui/agent_bar.py" line="172"/>
        <source>请先签入队列（Ctrl+L）</source>
        <translation>Log in to the queue first (Ctrl+L)</translation>
    </message>
    <message>
        <location filename="../../ui/agent_bar.py" line="174"/>
        <source>小休</source>
        <translation>Short break</translation>
    </message>
    <message>
        <location filename="../../ui/agent_bar.py" line="247"/>
        <source>未配置电话系统</source>
        <translation>No phone system configured</translation>
    </message>
    <message>
        <location filename="../../ui/agent_bar.py" line="250"/>
        <source>正在连接</source>
        <translation>Connecting</translation>
    </message>
    <message>
        <location filename="../../ui/agent_bar.py" line="258"/>
        <source>（第 {n} 次重连）</source>
        <translation> (reconnect attempt {n})</translation>
    </message>
    <message>
        <location filename="../../ui/agent_bar.py" line="266"/>
        <source>状态未知</source>
        <translation>State unknown</translation>
    </message>
    <message>
        <location filename="../../ui/agent_bar.py" line="276"/>
        <source>（最后已知）</source>
        <translation> (last known)</translation>
    </message>
    <message>
        <location filename="../../ui/agent_bar.py" line="281"/>
        <source>签出队列</source>
        <translation>Leave queue</translation>
    </message>
    <message>
        <location filename="../../ui/agent_bar.py" line="281"/>
        <source>签入队列</source>
        <translation>Join queue</translation>
    </message>
    <message>
        <location filename="../../ui/agent_bar.py" line="232"/>
        <location filename="../../ui/agent_bar.py" line="287"/>
        <source>通话</source>
        <translation>Call</translation>
    </message>
    <message>
        <location filename="../../ui/agent_bar.py" line="232"/>
        <location filename="../../ui/agent_bar.py" line="290"/>
        <source>上次通话</source>
        <translation>Last call</translation>
    </message>
    <message>
        <location filename="../../ui/agent_bar.py" line="232"/>
        <location filename="../../ui/agent_bar.py" line="292"/>
        <source>无通话</source>
        <translation>No call</translation>
    </message>
    <message>
        <location filename="../../ui/agent_bar.py" line="298"/>
        <source>来电</source>
        <translation>Caller</translation>
    </message>
</context>
<context>
    <name>CallPop</name>
    <message>
        <location filename="../../ui/pop.py" line="140"/>
        <source>工单编号</source>
        <extracomment>caller ID names that are not names True when a call is shown, False when the panel is back to waiting (call, its history) the history rows were last made from</extracomment>
        <translation>Ticket no.</translation>
    </message>
    <message>
        <location filename="../../ui/pop.py" line="140"/>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../ui/pop.py" line="408"/>
        <source>【保密】保密工单（无权查看内容）</source>
        <translation>[Confidential] no access to its content</translation>
    </message>
    <message>
        <location filename="../../ui/pop.py" line="412"/>
        <source>【保密】</source>
        <translation>[Confidential] </translation>
    </message>
    <message>
        <location filename="../../ui/pop.py" line="422"/>
        <source>受理时间</source>
        <translation>Registered</translation>
    </message>
    <message>
        <location filename="../../ui/pop.py" line="424"/>
        <source>办理时限</source>
        <translation>Due</translation>
    </message>
    <message>
        <location filename="../../ui/pop.py" line="141"/>
        <source>诉求</source>
        <translation>Request</translation>
    </message>
    <message>
        <location filename="../../ui/pop.py" line="150"/>
        <source>受理此来电</source>
        <translation>Take this call</translation>
    </message>
    <message>
        <location filename="../../ui/pop.py" line="154"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../ui/pop.py" line="305"/>
        <source>号码未显示，无法查询历史工单</source>
        <translation>Number withheld: no history to look up</translation>
    </message>
    <message>
        <location filename="../../ui/pop.py" line="321"/>
        <source>历史工单查询失败：</source>
        <translation>History lookup failed: </translation>
    </message>
    <message>
        <location filename="../../ui/pop.py" line="339"/>
        <source>直拨来电</source>
        <translation>Direct call</translation>
    </message>
    <message>
        <location filename="../../ui/pop.py" line="339"/>
        <source>队列 {q} 来电</source>
        <translation>Call from queue {q}</translation>
    </message>
    <message>
        <location filename="../../ui/pop.py" line="341"/>
        <source>通话已结束</source>
        <translation>Call ended</translation>
    </message>
    <message>
        <location filename="../../ui/pop.py" line="343"/>
        <source>通话中</source>
        <translation>On call</translation>
    </message>
    <message>
        <location filename="../../ui/pop.py" line="345"/>
        <source>振铃中</source>
        <translation>Ringing</translation>
    </message>
    <message>
        <location filename="../../ui/pop.py" line="288"/>
        <location filename="../../ui/pop.py" line="347"/>
        <source>已转入受理</source>
        <translation>taken into intake</translation>
    </message>
    <message>
        <location filename="../../ui/pop.py" line="43"/>
        <source>来电方放弃</source>
        <translation>Caller hung up</translation>
    </message>
    <message>
        <location filename="../../ui/pop.py" line="44"/>
        <source>他人接听</source>
        <translation>Answered by another agent</translation>
    </message>
    <message>
        <location filename="../../ui/pop.py" line="45"/>
        <source>未接听</source>
        <translation>Not answered</translation>
    </message>
    <message>
        <location filename="../../ui/pop.py" line="46"/>
        <source>已转接</source>
        <translation>Transferred</translation>
    </message>
    <message>
        <location filename="../../ui/pop.py" line="47"/>
        <source>链路中断</source>
        <translation>Lost (PBX link down)</translation>
    </message>
    <message>
        <location filename="../../ui/pop.py" line="49"/>
        <source>通话结束</source>
        <translation>Call ended</translation>
    </message>
    <message>
        <location filename="../../ui/pop.py" line="140"/>
        <source>时限</source>
        <translation>Due</translation>
    </message>
    <message>
        <location filename="../../ui/pop.py" line="181"/>
        <source>等待来电</source>
        <translation>Waiting for calls</translation>
    </message>
    <message>
        <location filename="../../ui/pop.py" line="183"/>
        <source>就绪时，来电会在这里显示来电人、历史工单和未办结工单。</source>
        <translation>When you are ready, a call shows here with the caller, their earlier tickets and any still open.</translation>
    </message>
    <message>
        <location filename="../../ui/pop.py" line="186"/>
        <source>本班次来电</source>
        <translation>Calls this shift</translation>
    </message>
    <message>
        <location filename="../../ui/pop.py" line="187"/>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <location filename="../../ui/pop.py" line="187"/>
        <source>来电号码</source>
        <translation>Caller number</translation>
    </message>
    <message>
        <location filename="../../ui/pop.py" line="187"/>
        <source>结果</source>
        <translation>Result</translation>
    </message>
    <message>
        <location filename="../../ui/pop.py" line="292"/>
        <source>已接听</source>
        <translation>Answered</translation>
    </message>
    <message>
        <location filename="../../ui/pop.py" line="294"/>
        <source>已关闭</source>
        <translation>Closed</translation>
    </message>
    <message>
        <location filename="../../ui/pop.py" line="189"/>
        <location filename="../../ui/pop.py" line="296"/>
        <source>未显示号码</source>
        <translation>Number withheld</translation>
    </message>
    <message>
        <location filename="../../ui/pop.py" line="349"/>
        <source>（恢复）</source>
        <translation> (recovered)</translation>
    </message>
    <message>
        <location filename="../../ui/pop.py" line="354"/>
        <source>来电时间</source>
        <translation>Call time</translation>
    </message>
    <message>
        <location filename="../../ui/pop.py" line="358"/>
        <source>来电显示</source>
        <translation>Caller ID</translation>
    </message>
    <message>
        <location filename="../../ui/pop.py" line="360"/>
        <source>另有 {n} 个来电</source>
        <translation>{n} more call(s)</translation>
    </message>
    <message>
        <location filename="../../ui/pop.py" line="369"/>
        <source>正在查询历史工单…</source>
        <translation>Looking up earlier tickets…</translation>
    </message>
    <message>
        <location filename="../../ui/pop.py" line="372"/>
        <source>重复来电：近期已来电 {n} 次</source>
        <translation>Repeat caller: {n} calls recently</translation>
    </message>
    <message>
        <location filename="../../ui/pop.py" line="377"/>
        <source>未办结工单 {n} 件：</source>
        <translation>{n} open ticket(s): </translation>
    </message>
    <message>
        <location filename="../../ui/pop.py" line="380"/>
        <source>无未办结工单</source>
        <translation>No open tickets</translation>
    </message>
    <message>
        <location filename="../../ui/pop.py" line="382"/>
        <source>首次来电：没有历史工单</source>
        <translation>First call: no earlier tickets</translation>
    </message>
    <message>
        <location filename="../../ui/pop.py" line="387"/>
        <source>已在受理页开始登记；通话结束后本面板自动关闭。</source>
        <translation>Intake started; this panel closes when the call ends.</translation>
    </message>
    <message>
        <location filename="../../ui/pop.py" line="389"/>
        <source>通话已结束，仍可按 F5 登记本次来电，或关闭。</source>
        <translation>The call has ended; press F5 to still register it, or close.</translation>
    </message>
    <message>
        <location filename="../../ui/pop.py" line="391"/>
        <source>按 F5 开始登记（不会打断正在输入的内容，未完成的受理单会暂存）。</source>
        <translation>Press F5 to start the intake (unfinished typing is parked, never lost).</translation>
    </message>
</context>
<context>
    <name>ChangeFollower</name>
    <message>
        <location filename="../../ui/sync.py" line="100"/>
        <source>每秒轮询</source>
        <translation>polling every second</translation>
    </message>
    <message>
        <location filename="../../ui/sync.py" line="101"/>
        <source>与其他坐席同步正常（{how}）</source>
        <translation>In sync with other desks ({how})</translation>
    </message>
    <message>
        <location filename="../../ui/sync.py" line="108"/>
        <source>数据库无法访问：</source>
        <translation>Database unreachable: </translation>
    </message>
</context>
<context>
    <name>DeskApp</name>
    <message>
        <location filename="../../ui/app.py" line="201"/>
        <source>正在打开数据库…</source>
        <extracomment>the sign-in window shows a schema mismatch (sign-in is closed until it is resolved) demo mode: seconds from queue login to the first citizen call (None: no such call)</extracomment>
        <translation>Opening the database…</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="216"/>
        <source>数据库结构版本不符，暂不能登录。</source>
        <translation>The database schema version does not match: sign-in is not possible.</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="217"/>
        <source>坐席程序版本过旧，暂不能登录。</source>
        <translation>This desk program is out of date: sign-in is not possible.</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="220"/>
        <source>数据库无法打开：</source>
        <translation>Cannot open the database: </translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="221"/>
        <source>&#x3000;请在“设置”中检查数据库地址。</source>
        <translation> Check the database address under Settings.</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="228"/>
        <source>演示模式（内置数据库、模拟电话系统）</source>
        <translation>Demo mode (embedded database, simulated phone system)</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="229"/>
        <source>数据库已连接：</source>
        <translation>Database connected: </translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="230"/>
        <source>，请登录。</source>
        <translation>; please sign in.</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="300"/>
        <source>电话系统设置不完整，本次登录不接来电：</source>
        <translation>Phone settings incomplete; no calls this session: </translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="409"/>
        <source>数据库或电话系统设置已保存，注销后重新登录生效</source>
        <translation>Database / phone settings saved; they apply after signing in again</translation>
    </message>
</context>
<context>
    <name>DeskStatusBar</name>
    <message>
        <location filename="../../ui/statusbar.py" line="45"/>
        <source>电话：未配置</source>
        <translation>Phone: not configured</translation>
    </message>
    <message>
        <location filename="../../ui/statusbar.py" line="47"/>
        <source>正在连接数据库…</source>
        <translation>Connecting to the database…</translation>
    </message>
    <message>
        <location filename="../../ui/statusbar.py" line="48"/>
        <source>数据库：连接中</source>
        <translation>Database: connecting</translation>
    </message>
    <message>
        <location filename="../../ui/statusbar.py" line="49"/>
        <source>同步：等待</source>
        <translation>Sync: waiting</translation>
    </message>
    <message>
        <location filename="../../ui/statusbar.py" line="53"/>
        <source>（模拟）</source>
        <translation> (simulated)</translation>
    </message>
    <message>
        <location filename="../../ui/statusbar.py" line="55"/>
        <location filename="../../ui/statusbar.py" line="65"/>
        <location filename="../../ui/statusbar.py" line="70"/>
        <source>电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <location filename="../../ui/statusbar.py" line="55"/>
        <source>正在连接</source>
        <translation>Connecting</translation>
    </message>
    <message>
        <location filename="../../ui/statusbar.py" line="65"/>
        <location filename="../../ui/statusbar.py" line="78"/>
        <location filename="../../ui/statusbar.py" line="82"/>
        <source>正常</source>
        <translation>OK</translation>
    </message>
    <message>
        <location filename="../../ui/statusbar.py" line="77"/>
        <source>数据库</source>
        <translation>Database</translation>
    </message>
    <message>
        <location filename="../../ui/statusbar.py" line="78"/>
        <source>不可用</source>
        <translation>unavailable</translation>
    </message>
    <message>
        <location filename="../../ui/statusbar.py" line="81"/>
        <source>同步</source>
        <translation>Sync</translation>
    </message>
    <message>
        <location filename="../../ui/statusbar.py" line="82"/>
        <source>中断</source>
        <translation>interrupted</translation>
    </message>
    <message>
        <location filename="../../ui/statusbar.py" line="41"/>
        <source>处理中…</source>
        <translation>Working…</translation>
    </message>
</context>
<context>
    <name>DispatchPanel</name>
    <message>
        <location filename="../../ui/dispatch.py" line="37"/>
        <source>（未登记联系人）</source>
        <translation>(no contact on record)</translation>
    </message>
    <message>
        <location filename="../../ui/dispatch.py" line="73"/>
        <source>转办 — {0}</source>
        <translation>Dispatch — {0}</translation>
    </message>
    <message>
        <location filename="../../ui/dispatch.py" line="77"/>
        <source>诉求：</source>
        <translation>Request: </translation>
    </message>
    <message>
        <location filename="../../ui/dispatch.py" line="112"/>
        <source>{0}(&amp;{1})</source>
        <translation>{0} (&amp;{1})</translation>
    </message>
    <message>
        <location filename="../../ui/dispatch.py" line="127"/>
        <source>查找单位(&amp;F)</source>
        <translation>&amp;Find unit</translation>
    </message>
    <message>
        <location filename="../../ui/dispatch.py" line="129"/>
        <source>单位名称或拼音首字母，如 zjj → 住建局</source>
        <translation>Unit name or pinyin initials, e.g. zjj → 住建局</translation>
    </message>
    <message>
        <location filename="../../ui/dispatch.py" line="139"/>
        <source>设为主办(&amp;Z)</source>
        <translation>Set as lead unit (&amp;Z)</translation>
    </message>
    <message>
        <location filename="../../ui/dispatch.py" line="141"/>
        <source>加为协办(&amp;X)</source>
        <translation>Add as co-unit (&amp;X)</translation>
    </message>
    <message>
        <location filename="../../ui/dispatch.py" line="150"/>
        <source>主办单位</source>
        <translation>Lead unit</translation>
    </message>
    <message>
        <location filename="../../ui/dispatch.py" line="151"/>
        <location filename="../../ui/dispatch.py" line="356"/>
        <source>（未选择）</source>
        <translation>(none chosen)</translation>
    </message>
    <message>
        <location filename="../../ui/dispatch.py" line="157"/>
        <source>协办单位（Del 移除）</source>
        <translation>Co-units (Del removes)</translation>
    </message>
    <message>
        <location filename="../../ui/dispatch.py" line="169"/>
        <source>交办期限(&amp;Q)</source>
        <translation>Deadline (&amp;Q)</translation>
    </message>
    <message>
        <location filename="../../ui/dispatch.py" line="178"/>
        <source>办结期限</source>
        <translation>Due</translation>
    </message>
    <message>
        <location filename="../../ui/dispatch.py" line="183"/>
        <source>转办意见(&amp;I)</source>
        <translation>&amp;Instructions</translation>
    </message>
    <message>
        <location filename="../../ui/dispatch.py" line="185"/>
        <source>可不填：给承办单位的说明</source>
        <translation>Optional: a note for the handling unit</translation>
    </message>
    <message>
        <location filename="../../ui/dispatch.py" line="198"/>
        <source>确认转办&#x3000;Ctrl+Enter</source>
        <translation>Confirm dispatch (Ctrl+Enter)</translation>
    </message>
    <message>
        <location filename="../../ui/dispatch.py" line="202"/>
        <source>取消&#x3000;Esc</source>
        <translation>Cancel (Esc)</translation>
    </message>
    <message>
        <location filename="../../ui/dispatch.py" line="219"/>
        <source>请向群众宣读（已放入短信待发箱）：</source>
        <translation>Read this to the citizen (already queued as a text message):</translation>
    </message>
    <message>
        <location filename="../../ui/dispatch.py" line="228"/>
        <source>完成&#x3000;Enter</source>
        <translation>Done (Enter)</translation>
    </message>
    <message>
        <location filename="../../ui/dispatch.py" line="266"/>
        <source>职责明确，由一个单位承办；期限按诉求类别自动计算（工作日）。</source>
        <translation>Clear responsibility: one unit handles it; the due date follows from the category (working days).</translation>
    </message>
    <message>
        <location filename="../../ui/dispatch.py" line="267"/>
        <source>涉及多个部门：一个主办单位牵头，协办单位配合办理。</source>
        <translation>Several departments involved: a lead unit takes charge, co-units assist.</translation>
    </message>
    <message>
        <location filename="../../ui/dispatch.py" line="268"/>
        <source>重大、紧急或具有普遍性的诉求：限期办理，须明确交办期限。</source>
        <translation>Major, urgent or widespread requests: handled within a set deadline, which must be given.</translation>
    </message>
    <message>
        <location filename="../../ui/dispatch.py" line="283"/>
        <source>（本区同类诉求办理 {0} 件）</source>
        <translation>({0} similar requests handled in this district)</translation>
    </message>
    <message>
        <location filename="../../ui/dispatch.py" line="283"/>
        <source>（建议）</source>
        <translation>(suggested)</translation>
    </message>
    <message>
        <location filename="../../ui/dispatch.py" line="355"/>
        <location filename="../../ui/dispatch.py" line="360"/>
        <source>联系人</source>
        <translation>Contact</translation>
    </message>
    <message>
        <location filename="../../ui/dispatch.py" line="365"/>
        <source>请选择主办单位</source>
        <translation>Choose a lead unit</translation>
    </message>
    <message>
        <location filename="../../ui/dispatch.py" line="387"/>
        <source>{0}&#x3000;共 {1} 个工作日</source>
        <translation>{0} ({1} working days)</translation>
    </message>
    <message>
        <location filename="../../ui/dispatch.py" line="407"/>
        <source>联合转办至少需要一个协办单位</source>
        <translation>A joint dispatch needs at least one co-unit</translation>
    </message>
    <message>
        <location filename="../../ui/dispatch.py" line="418"/>
        <source>已转办&#x3000;{0}</source>
        <translation>Dispatched: {0}</translation>
    </message>
    <message>
        <location filename="../../ui/dispatch.py" line="419"/>
        <source>、</source>
        <translation>, </translation>
    </message>
    <message>
        <location filename="../../ui/dispatch.py" line="420"/>
        <source>{0}（{1} {2}）</source>
        <translation>{0} ({1} {2})</translation>
    </message>
    <message>
        <location filename="../../ui/dispatch.py" line="422"/>
        <source>承办：{0}</source>
        <translation>Handled by: {0}</translation>
    </message>
    <message>
        <location filename="../../ui/dispatch.py" line="423"/>
        <source>办结期限：{0}，{1} 个工作日</source>
        <translation>Due: {0}, {1} working days</translation>
    </message>
    <message>
        <location filename="../../ui/dispatch.py" line="434"/>
        <source>。请关闭本窗口，在工单详情中查看最新情况</source>
        <translation>. Close this window and check the latest state in the ticket details</translation>
    </message>
    <message>
        <location filename="../../ui/dispatch.py" line="437"/>
        <source>；</source>
        <translation>; </translation>
    </message>
    <message>
        <location filename="../../ui/dispatch.py" line="442"/>
        <source>转办未完成，请稍后重试（详情见消息栏）</source>
        <translation>The dispatch did not go through; try again shortly (details in the message bar)</translation>
    </message>
</context>
<context>
    <name>DistrictPicker</name>
    <message>
        <location filename="../../ui/intake_fields.py" line="138"/>
        <source>请选择县市区</source>
        <translation>Choose a district</translation>
    </message>
</context>
<context>
    <name>IntakeEndings</name>
    <message>
        <location filename="../../ui/intake_endings.py" line="33"/>
        <source>办理方式</source>
        <translation>How the call ends</translation>
    </message>
    <message>
        <location filename="../../ui/intake_endings.py" line="36"/>
        <source>登记并转办&#x3000;Ctrl+D</source>
        <translation>Register and dispatch (Ctrl+D)</translation>
    </message>
    <message>
        <location filename="../../ui/intake_endings.py" line="37"/>
        <source>登记后打开派单面板（直接转办 / 联合转办 / 交办）</source>
        <translation>Register, then open the dispatch panel (direct / joint / assigned)</translation>
    </message>
    <message>
        <location filename="../../ui/intake_endings.py" line="38"/>
        <source>当场解答&#x3000;Ctrl+J</source>
        <translation>Answered on the call (Ctrl+J)</translation>
    </message>
    <message>
        <location filename="../../ui/intake_endings.py" line="39"/>
        <source>电话中已答复群众：记录答复内容，工单办结</source>
        <translation>The citizen was answered on the phone: record the answer; the ticket is closed</translation>
    </message>
    <message>
        <location filename="../../ui/intake_endings.py" line="40"/>
        <source>不予受理&#x3000;Ctrl+B</source>
        <translation>Not in scope (Ctrl+B)</translation>
    </message>
    <message>
        <location filename="../../ui/intake_endings.py" line="41"/>
        <source>不属于受理范围：选择原因，向群众说明正确的反映渠道</source>
        <translation>Outside the hotline&apos;s scope: choose the reason and tell the citizen the right channel</translation>
    </message>
    <message>
        <location filename="../../ui/intake_endings.py" line="42"/>
        <source>仅登记&#x3000;Ctrl+S</source>
        <translation>Register only (Ctrl+S)</translation>
    </message>
    <message>
        <location filename="../../ui/intake_endings.py" line="43"/>
        <source>只登记工单，稍后再转办</source>
        <translation>Register the ticket only; dispatch later</translation>
    </message>
    <message>
        <location filename="../../ui/intake_endings.py" line="63"/>
        <source>不予受理</source>
        <translation>Not in scope</translation>
    </message>
    <message>
        <location filename="../../ui/intake_endings.py" line="67"/>
        <source>原因(&amp;Y)</source>
        <translation>Reason (&amp;Y)</translation>
    </message>
    <message>
        <location filename="../../ui/intake_endings.py" line="71"/>
        <source>请向群众说明：</source>
        <translation>Tell the citizen:</translation>
    </message>
    <message>
        <location filename="../../ui/intake_endings.py" line="79"/>
        <source>确认不予受理&#x3000;Ctrl+Enter</source>
        <translation>Confirm (Ctrl+Enter)</translation>
    </message>
    <message>
        <location filename="../../ui/intake_endings.py" line="80"/>
        <location filename="../../ui/intake_endings.py" line="102"/>
        <source>返回&#x3000;Esc</source>
        <translation>Back (Esc)</translation>
    </message>
    <message>
        <location filename="../../ui/intake_endings.py" line="89"/>
        <source>当场解答</source>
        <translation>Answered on the call</translation>
    </message>
    <message>
        <location filename="../../ui/intake_endings.py" line="92"/>
        <source>答复内容(&amp;Z)</source>
        <translation>Answer given (&amp;Z)</translation>
    </message>
    <message>
        <location filename="../../ui/intake_endings.py" line="96"/>
        <source>在电话中告诉群众的答复（政策依据、办理地点、所需材料等）</source>
        <translation>The answer given on the phone (policy basis, where to go, documents needed …)</translation>
    </message>
    <message>
        <location filename="../../ui/intake_endings.py" line="101"/>
        <source>确认已解答&#x3000;Ctrl+Enter</source>
        <translation>Confirm (Ctrl+Enter)</translation>
    </message>
    <message>
        <location filename="../../ui/intake_endings.py" line="112"/>
        <source>工单编号（请告知群众）</source>
        <translation>Ticket number (tell the citizen)</translation>
    </message>
    <message>
        <location filename="../../ui/intake_endings.py" line="128"/>
        <source>转办&#x3000;Ctrl+D</source>
        <translation>Dispatch (Ctrl+D)</translation>
    </message>
    <message>
        <location filename="../../ui/intake_endings.py" line="130"/>
        <source>下一张登记&#x3000;Ctrl+Shift+N</source>
        <translation>Next intake (Ctrl+Shift+N)</translation>
    </message>
</context>
<context>
    <name>IntakePage</name>
    <message>
        <location filename="../../ui/intake.py" line="51"/>
        <source>来电号码</source>
        <extracomment>fields the form requires, in tab order, with the word used in &quot;还需填写：…&quot; (translated where shown)</extracomment>
        <translation>Caller&apos;s phone</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="52"/>
        <source>县市区</source>
        <translation>District</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="53"/>
        <source>事件经过</source>
        <translation>What happened</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="54"/>
        <source>诉求事项</source>
        <translation>Request</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="55"/>
        <location filename="../../ui/intake.py" line="273"/>
        <source>诉求类别</source>
        <translation>Category</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="56"/>
        <source>事项分类</source>
        <translation>Subject</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="72"/>
        <source>请填写来电号码</source>
        <extracomment>the core&apos;s field names that mean one of ours how often the districts/taxonomy are asked for again while the database is down (ms)</extracomment>
        <translation>Enter the caller&apos;s phone number</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="79"/>
        <source>请选择事发地所在县市区</source>
        <translation>Choose the district where it happened</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="81"/>
        <source>请记录事件经过</source>
        <translation>Record what happened</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="83"/>
        <source>请记录群众的诉求事项</source>
        <translation>Record what the citizen asks for</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="85"/>
        <source>请选择诉求类别（咨询/投诉/建议/求助）</source>
        <translation>Choose a category (inquiry / complaint / suggestion / help request)</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="87"/>
        <source>请从列表中选择事项分类（可输入拼音首字母）</source>
        <translation>Choose a subject from the list (pinyin initials work)</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="161"/>
        <source>受理登记</source>
        <extracomment>place and subject of a restored form, held until the districts and the taxonomy have arrived (the pickers cannot show a code they do not know yet) the form on screen is done with (registered, or queued as 待提交): read-only, and neither autosaved nor parked again</extracomment>
        <translation>Intake</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="182"/>
        <source>清空(&amp;L)</source>
        <translation>C&amp;lear</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="183"/>
        <source>清空表单，开始新的登记（已保存的草稿一并清除）</source>
        <translation>Clear the form and start a new intake (the saved draft is cleared too)</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="220"/>
        <source>手机或带区号的固话</source>
        <translation>Mobile, or landline with area code</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="222"/>
        <source>可不填</source>
        <translation>Optional</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="223"/>
        <source>来电号码(&amp;P)</source>
        <translation>Caller &amp;phone</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="224"/>
        <source>来电人(&amp;M)</source>
        <translation>Caller na&amp;me</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="234"/>
        <source>渠道</source>
        <translation>Channel</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="235"/>
        <source>事发时间(&amp;T)</source>
        <translation>&amp;Time of event</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="239"/>
        <source>县市区(&amp;Q)</source>
        <translation>District (&amp;Q)</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="240"/>
        <source>乡镇/街道</source>
        <translation>Township</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="244"/>
        <source>路、小区、门牌号或明显地标</source>
        <translation>Road, estate, house number or landmark</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="245"/>
        <source>详细地址(&amp;A)</source>
        <translation>&amp;Address</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="247"/>
        <source>涉及的单位、商户或人员</source>
        <translation>Organisations, shops or people involved</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="248"/>
        <source>涉及人员(&amp;R)</source>
        <translation>Pa&amp;rties</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="251"/>
        <source>何时、何地、发生了什么，持续多久，是否已向其他部门反映</source>
        <translation>When, where, what happened, for how long, already reported elsewhere?</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="254"/>
        <source>事件经过(&amp;E)</source>
        <translation>What happ&amp;ened</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="256"/>
        <source>群众希望政府做什么</source>
        <translation>What the citizen wants the government to do</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="259"/>
        <source>诉求事项(&amp;W)</source>
        <translation>Request (&amp;W)</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="267"/>
        <source>{0}(&amp;{1})</source>
        <translation>{0} (&amp;{1})</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="276"/>
        <source>事项分类(&amp;K)</source>
        <translation>Subject (&amp;K)</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="281"/>
        <source>紧急(&amp;U)</source>
        <translation>&amp;Urgent</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="282"/>
        <source>紧急工单当日到期</source>
        <translation>Urgent tickets are due the same day</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="283"/>
        <source>保密(&amp;C)</source>
        <translation>&amp;Confidential</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="284"/>
        <source>保密工单只对有权限的角色显示内容</source>
        <translation>Only authorised roles see a confidential ticket&apos;s content</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="285"/>
        <source>需要回访(&amp;H)</source>
        <translation>Callback wanted (&amp;H)</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="291"/>
        <source>标记</source>
        <translation>Flags</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="583"/>
        <source>还需填写：%s</source>
        <translation>Still needed: %s</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="583"/>
        <source>、</source>
        <translation>, </translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="584"/>
        <source>信息完整，可以登记</source>
        <translation>Complete: ready to register</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="585"/>
        <source>只登记工单，稍后再转办</source>
        <translation>Register the ticket only; dispatch later</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="623"/>
        <source>已恢复未完成的登记（自动保存于 {0}）</source>
        <translation>Unfinished intake restored (autosaved {0})</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="629"/>
        <source>已自动保存 </source>
        <translation>Autosaved </translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="639"/>
        <source>◷ 待提交 {0} 件：数据库恢复后自动提交</source>
        <translation>◷ {0} waiting: submitted automatically when the database is back</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="640"/>
        <source>（已尝试 {0} 次）</source>
        <translation> (tried {0} times)</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="643"/>
        <source>✖ {0} 件被退回，需修改</source>
        <translation>✖ {0} refused, needs correcting</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="654"/>
        <source>暂存 {0} 件</source>
        <translation>Parked: {0}</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="655"/>
        <source>新来电时暂存的、或被退回需修改的登记；点击选择继续</source>
        <translation>Intakes parked when a new call came in, or refused and needing correction; click to continue one</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="663"/>
        <source>（空白登记）</source>
        <translation>(blank intake)</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="665"/>
        <source>被退回：{0} {1}</source>
        <translation>Refused: {0} {1}</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="673"/>
        <source>上一张未完成的登记已暂存，可点“暂存”继续</source>
        <translation>The unfinished intake was parked; continue it from “Parked”</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="801"/>
        <source>请记录在电话中给群众的答复</source>
        <translation>Record the answer given on the phone</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="850"/>
        <source>不予受理</source>
        <translation>Not in scope</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="850"/>
        <source>当场解答</source>
        <translation>Answered on the call</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="851"/>
        <source>已登记，但“{0}”未能记录：{1}</source>
        <translation>Registered, but “{0}” could not be recorded: {1}</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="852"/>
        <source>请在“工单”页打开 {0}，重新选择“{1}”。</source>
        <translation>Open {0} on the “Tickets” page and choose “{1}” again.</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="883"/>
        <source>未能记录：{0}</source>
        <translation>Could not be recorded: {0}</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="889"/>
        <location filename="../../ui/intake.py" line="976"/>
        <source>待提交</source>
        <translation>Waiting</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="890"/>
        <source>待提交：数据库恢复后自动登记，工单编号稍后短信告知群众</source>
        <translation>Waiting: registered automatically when the database is back; the citizen gets the ticket number by text message</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="893"/>
        <source>数据库暂时无法连接。本次登记已保存在本机，数据库恢复后自动提交，无需重新录入。</source>
        <translation>The database cannot be reached right now. This intake is saved on this computer and will be submitted automatically when the database is back; nothing needs to be typed again.</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="895"/>
        <source>恢复后请在工单列表中转办。</source>
        <translation>Once it is back, dispatch it from the ticket list.</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="896"/>
        <source>请告知群众：工单编号稍后以短信发送。</source>
        <translation>Tell the citizen: the ticket number follows by text message. </translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="904"/>
        <source>工单编号&#x3000;{0}&#x3000;（请告知群众）</source>
        <translation>Ticket number  {0}  (tell the citizen)</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="910"/>
        <source>：{0}（联系人 {1} {2}）</source>
        <translation>: {0} (contact {1} {2})</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="913"/>
        <source>，{0}前办结</source>
        <translation>, due by {0}</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="916"/>
        <source>请向群众宣读：</source>
        <translation>Read this to the citizen:</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="919"/>
        <source>已告知群众：</source>
        <translation>The citizen was told: </translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="921"/>
        <source>答复：</source>
        <translation>Answer: </translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="923"/>
        <source>可随时在工单列表中转办。</source>
        <translation>It can be dispatched from the ticket list at any time.</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="962"/>
        <source>待提交的登记已登记为 {0}，但其办理结果未能记录：{1}。请在工单页处理</source>
        <translation>A waiting intake was registered as {0}, but its ending could not be recorded: {1}. Please finish it on the Tickets page</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="975"/>
        <source>数据库已恢复，待提交的登记已提交：工单编号 {0}</source>
        <translation>The database is back; the waiting intake was submitted: ticket number {0}</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="978"/>
        <source>工单编号&#x3000;{0}&#x3000;（数据库恢复后已自动登记）</source>
        <translation>Ticket number  {0}  (registered automatically when the database came back)</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="979"/>
        <source>数据库已恢复，已自动提交。</source>
        <translation>The database is back; submitted automatically.</translation>
    </message>
    <message>
        <location filename="../../ui/intake.py" line="982"/>
        <source>一件待提交的登记被退回：{0}。请在“暂存的登记”中打开并修改</source>
        <translation>A waiting intake was refused: {0}. Open it from “Parked” and correct it</translation>
    </message>
</context>
<context>
    <name>Label</name>
    <message>
        <location filename="../../ui/ticket_common.py" line="31"/>
        <source>咨询</source>
        <extracomment>calm colours: a muted red / amber / green, readable on white and not alarming for 8 hours the core&apos;s Chinese labels of the enums the ticket screens show (category, channel, status, urgency, dispatch mode, satisfaction, supervision kind, reply method, lead/co, action), listed so lupdate extracts them; tests/ui/test_i18n_tickets.py checks the list is complete</extracomment>
        <translation>Inquiry</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_common.py" line="31"/>
        <source>投诉</source>
        <translation>Complaint</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_common.py" line="32"/>
        <source>建议</source>
        <translation>Suggestion</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_common.py" line="32"/>
        <source>求助</source>
        <translation>Help request</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_common.py" line="33"/>
        <source>电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_common.py" line="33"/>
        <source>网站</source>
        <translation>Website</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_common.py" line="34"/>
        <source>手机应用</source>
        <translation>Mobile app</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_common.py" line="34"/>
        <source>微信</source>
        <translation>WeChat</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_common.py" line="35"/>
        <source>信件</source>
        <translation>Letter</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_common.py" line="35"/>
        <source>已登记</source>
        <translation>Registered</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_common.py" line="36"/>
        <source>不予受理</source>
        <translation>Not in scope</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_common.py" line="36"/>
        <source>当场解答</source>
        <translation>Answered on the call</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_common.py" line="37"/>
        <source>已转办</source>
        <translation>Dispatched</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_common.py" line="37"/>
        <source>办理中</source>
        <translation>In progress</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_common.py" line="38"/>
        <source>已退单</source>
        <translation>Returned</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_common.py" line="38"/>
        <source>已答复</source>
        <translation>Replied</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_common.py" line="39"/>
        <source>待回访</source>
        <translation>Awaiting callback</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_common.py" line="39"/>
        <source>已办结</source>
        <translation>Closed</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_common.py" line="40"/>
        <source>一般</source>
        <translation>Normal</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_common.py" line="40"/>
        <source>紧急</source>
        <translation>Urgent</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_common.py" line="41"/>
        <source>直接转办</source>
        <translation>Direct dispatch</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_common.py" line="41"/>
        <source>联合转办</source>
        <translation>Joint dispatch</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_common.py" line="42"/>
        <source>交办</source>
        <translation>Assigned</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_common.py" line="42"/>
        <source>满意</source>
        <translation>Satisfied</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_common.py" line="43"/>
        <source>基本满意</source>
        <translation>Mostly satisfied</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_common.py" line="43"/>
        <source>不满意</source>
        <translation>Dissatisfied</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_common.py" line="44"/>
        <source>未联系上</source>
        <translation>Not reached</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_common.py" line="44"/>
        <source>电话督办</source>
        <translation>Supervision by phone</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_common.py" line="45"/>
        <source>书面督办</source>
        <translation>Written supervision</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_common.py" line="45"/>
        <source>实地督办</source>
        <translation>On-site supervision</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_common.py" line="46"/>
        <source>书面反馈</source>
        <translation>Written reply</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_common.py" line="46"/>
        <source>电话反馈</source>
        <translation>Reply by phone</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_common.py" line="47"/>
        <source>网络反馈</source>
        <translation>Online reply</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_common.py" line="47"/>
        <source>主办</source>
        <translation>Lead unit</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_common.py" line="48"/>
        <source>协办</source>
        <translation>Co-unit</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_common.py" line="48"/>
        <source>登记</source>
        <translation>Register</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_common.py" line="49"/>
        <source>转办</source>
        <translation>Dispatch</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_common.py" line="49"/>
        <source>签收</source>
        <translation>Acknowledge</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_common.py" line="50"/>
        <source>退单</source>
        <translation>Return</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_common.py" line="50"/>
        <source>申请延期</source>
        <translation>Request extension</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_common.py" line="51"/>
        <source>审批延期</source>
        <translation>Decide extension</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_common.py" line="51"/>
        <source>答复</source>
        <translation>Reply</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_common.py" line="52"/>
        <source>审核答复</source>
        <translation>Review reply</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_common.py" line="52"/>
        <source>回访</source>
        <translation>Callback</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_common.py" line="53"/>
        <source>督办</source>
        <translation>Supervision</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_common.py" line="53"/>
        <source>告知群众</source>
        <translation>Notify the citizen</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../ui/main_window.py" line="66"/>
        <source>工作台</source>
        <translation>Workbench</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="67"/>
        <source>工单</source>
        <translation>Tickets</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="68"/>
        <source>监控</source>
        <translation>Wallboard</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="86"/>
        <source>上饶市长热线 12345 坐席桌面</source>
        <translation>Shangrao 12345 Hotline Desk</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="130"/>
        <source>内置</source>
        <translation>embedded</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="182"/>
        <source>坐席(&amp;D)</source>
        <translation>&amp;Desk</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="183"/>
        <source>新建受理单</source>
        <translation>New intake</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="187"/>
        <source>设置…</source>
        <translation>Settings…</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="189"/>
        <source>注销</source>
        <translation>Sign out</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="190"/>
        <source>退出</source>
        <translation>Quit</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="191"/>
        <source>快捷键(&amp;K)</source>
        <translation>&amp;Keys</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="192"/>
        <source>F2 就绪&#x3000;F3 暂停（所选原因）&#x3000;Ctrl+L 签入/签出队列</source>
        <translation>F2 ready   F3 pause (chosen reason)   Ctrl+L join/leave queue</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="193"/>
        <source>F5 受理来电弹屏&#x3000;Ctrl+N 新建受理单</source>
        <translation>F5 take the call pop   Ctrl+N new intake</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="194"/>
        <source>Ctrl+1…9 切换页面&#x3000;Ctrl+R 刷新工单列表</source>
        <translation>Ctrl+1…9 switch page   Ctrl+R refresh ticket list</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="225"/>
        <source>您的角色不能受理来电登记</source>
        <translation>Your role cannot register calls</translation>
    </message>
</context>
<context>
    <name>MessageBar</name>
    <message>
        <location filename="../../ui/messages.py" line="25"/>
        <source>提示</source>
        <translation>Notice</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="26"/>
        <source>注意</source>
        <translation>Attention</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="27"/>
        <source>错误</source>
        <translation>Error</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="50"/>
        <source>关闭此消息</source>
        <translation>Close this message</translation>
    </message>
</context>
<context>
    <name>Ops</name>
    <message>
        <location filename="../../ui/ops.py" line="101"/>
        <source>连接失败：{0}。请检查网络或数据库，稍后再试</source>
        <extracomment>kinds a change announcement may carry; screens match on them (free strings, these are the ones the desk itself uses)</extracomment>
        <translation>Connection failed: {0}. Check the network or the database and try again shortly</translation>
    </message>
    <message>
        <location filename="../../ui/ops.py" line="106"/>
        <source>数据库暂时无法访问，请稍后重试（已记录到日志）</source>
        <translation>The database cannot be reached right now; please try again shortly (logged)</translation>
    </message>
    <message>
        <location filename="../../ui/ops.py" line="109"/>
        <source>内部错误：{0}: {1}（已记录到日志，工作不受影响）</source>
        <translation>Internal error: {0}: {1} (logged; your work is not affected)</translation>
    </message>
</context>
<context>
    <name>PbxState</name>
    <message>
        <location filename="../../ui/agent_bar.py" line="45"/>
        <source>未登录</source>
        <translation>Logged out</translation>
    </message>
    <message>
        <location filename="../../ui/agent_bar.py" line="45"/>
        <source>就绪</source>
        <translation>Ready</translation>
    </message>
    <message>
        <location filename="../../ui/agent_bar.py" line="46"/>
        <source>暂停</source>
        <translation>Pause</translation>
    </message>
    <message>
        <location filename="../../ui/agent_bar.py" line="46"/>
        <source>振铃</source>
        <translation>Ringing</translation>
    </message>
    <message>
        <location filename="../../ui/agent_bar.py" line="47"/>
        <source>通话中</source>
        <translation>On call</translation>
    </message>
    <message>
        <location filename="../../ui/agent_bar.py" line="47"/>
        <source>话后整理</source>
        <translation>Wrap-up</translation>
    </message>
    <message>
        <location filename="../../ui/agent_bar.py" line="48"/>
        <source>正在连接</source>
        <translation>Connecting</translation>
    </message>
    <message>
        <location filename="../../ui/agent_bar.py" line="48"/>
        <source>已连接</source>
        <translation>Connected</translation>
    </message>
    <message>
        <location filename="../../ui/agent_bar.py" line="49"/>
        <source>已断开</source>
        <translation>Disconnected</translation>
    </message>
    <message>
        <location filename="../../ui/agent_bar.py" line="49"/>
        <source>认证失败</source>
        <translation>Login refused</translation>
    </message>
    <message>
        <location filename="../../ui/agent_bar.py" line="50"/>
        <source>已停止</source>
        <translation>Stopped</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../ui/settings.py" line="84"/>
        <source>坐席设置</source>
        <translation>Desk settings</translation>
    </message>
    <message>
        <location filename="../../ui/settings.py" line="91"/>
        <source>数据库</source>
        <translation>Database</translation>
    </message>
    <message>
        <location filename="../../ui/settings.py" line="94"/>
        <source>留空 = 本机内置数据库（SQLite）；如 postgresql+psycopg://desk@db.local/hotline</source>
        <translation>Empty = embedded database (SQLite); e.g. postgresql+psycopg://desk@db.local/hotline</translation>
    </message>
    <message>
        <location filename="../../ui/settings.py" line="97"/>
        <source>密码来源：</source>
        <translation>Password from: </translation>
    </message>
    <message>
        <location filename="../../ui/settings.py" line="100"/>
        <source>测试数据库连接</source>
        <translation>Test database connection</translation>
    </message>
    <message>
        <location filename="../../ui/settings.py" line="103"/>
        <source>数据库地址</source>
        <translation>Database URL</translation>
    </message>
    <message>
        <location filename="../../ui/settings.py" line="104"/>
        <location filename="../../ui/settings.py" line="241"/>
        <source>数据库密码</source>
        <translation>Database password</translation>
    </message>
    <message>
        <location filename="../../ui/settings.py" line="109"/>
        <source>电话系统（Asterisk AMI）</source>
        <translation>Phone system (Asterisk AMI)</translation>
    </message>
    <message>
        <location filename="../../ui/settings.py" line="112"/>
        <source>留空 = 使用内置模拟电话系统（演示）</source>
        <translation>Empty = built-in simulated phone system (demo)</translation>
    </message>
    <message>
        <location filename="../../ui/settings.py" line="119"/>
        <source>密钥来源：</source>
        <translation>Secret from: </translation>
    </message>
    <message>
        <location filename="../../ui/settings.py" line="125"/>
        <source>测试电话系统连接</source>
        <translation>Test phone system connection</translation>
    </message>
    <message>
        <location filename="../../ui/settings.py" line="128"/>
        <source>主机</source>
        <translation>Host</translation>
    </message>
    <message>
        <location filename="../../ui/settings.py" line="129"/>
        <source>端口</source>
        <translation>Port</translation>
    </message>
    <message>
        <location filename="../../ui/settings.py" line="130"/>
        <source>AMI 用户</source>
        <translation>AMI user</translation>
    </message>
    <message>
        <location filename="../../ui/settings.py" line="131"/>
        <location filename="../../ui/settings.py" line="243"/>
        <source>AMI 密钥</source>
        <translation>AMI secret</translation>
    </message>
    <message>
        <location filename="../../ui/settings.py" line="133"/>
        <source>本机分机接口</source>
        <translation>This desk&apos;s interface</translation>
    </message>
    <message>
        <location filename="../../ui/settings.py" line="134"/>
        <source>队列（逗号分隔）</source>
        <translation>Queues (comma separated)</translation>
    </message>
    <message>
        <location filename="../../ui/settings.py" line="135"/>
        <source>坐席名称</source>
        <translation>Member name</translation>
    </message>
    <message>
        <location filename="../../ui/settings.py" line="139"/>
        <source>坐席</source>
        <translation>Agent</translation>
    </message>
    <message>
        <location filename="../../ui/settings.py" line="149"/>
        <source>暂停原因（逗号分隔）</source>
        <translation>Pause reasons (comma separated)</translation>
    </message>
    <message>
        <location filename="../../ui/settings.py" line="150"/>
        <source>界面语言</source>
        <translation>Language</translation>
    </message>
    <message>
        <location filename="../../ui/settings.py" line="151"/>
        <source>字号（磅）</source>
        <translation>Font size (pt)</translation>
    </message>
    <message>
        <location filename="../../ui/settings.py" line="158"/>
        <source>数据库和电话系统的更改在下次登录时生效。</source>
        <translation>Database and phone changes apply at the next sign-in.</translation>
    </message>
    <message>
        <location filename="../../ui/settings.py" line="163"/>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <location filename="../../ui/settings.py" line="164"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../ui/settings.py" line="205"/>
        <location filename="../../ui/settings.py" line="221"/>
        <source>正在测试…</source>
        <translation>Testing…</translation>
    </message>
    <message>
        <location filename="../../ui/settings.py" line="219"/>
        <source>未填写主机：使用内置模拟电话系统，无需测试</source>
        <translation>No host: the built-in simulator is used, nothing to test</translation>
    </message>
    <message>
        <location filename="../../ui/settings.py" line="228"/>
        <source>连接超时（15 秒）：请检查主机、端口和防火墙</source>
        <translation>Timed out (15 s): check host, port and firewall</translation>
    </message>
</context>
<context>
    <name>SignInWindow</name>
    <message>
        <location filename="../../ui/signin.py" line="40"/>
        <source>上饶市长热线 12345 — 坐席登录</source>
        <translation>Shangrao 12345 Hotline — sign in</translation>
    </message>
    <message>
        <location filename="../../ui/signin.py" line="46"/>
        <source>上饶市长热线 12345 坐席桌面</source>
        <translation>Shangrao 12345 Hotline Desk</translation>
    </message>
    <message>
        <location filename="../../ui/signin.py" line="55"/>
        <source>工号 / 用户名</source>
        <translation>Staff no. / user name</translation>
    </message>
    <message>
        <location filename="../../ui/signin.py" line="58"/>
        <source>用户名(&amp;U)</source>
        <translation>&amp;User name</translation>
    </message>
    <message>
        <location filename="../../ui/signin.py" line="59"/>
        <source>密码(&amp;P)</source>
        <translation>&amp;Password</translation>
    </message>
    <message>
        <location filename="../../ui/signin.py" line="66"/>
        <source>正在准备数据库…</source>
        <translation>Preparing the database…</translation>
    </message>
    <message>
        <location filename="../../ui/signin.py" line="71"/>
        <source>设置(&amp;S)…</source>
        <translation>&amp;Settings…</translation>
    </message>
    <message>
        <location filename="../../ui/signin.py" line="72"/>
        <location filename="../../ui/signin.py" line="138"/>
        <source>登录</source>
        <translation>Sign in</translation>
    </message>
    <message>
        <location filename="../../ui/signin.py" line="96"/>
        <source>演示模式：内置数据库 + 模拟电话系统。演示账号：</source>
        <translation>Demo mode: embedded database + simulated phone system. Demo accounts:</translation>
    </message>
    <message>
        <location filename="../../ui/signin.py" line="102"/>
        <source>用户名</source>
        <translation>User name</translation>
    </message>
    <message>
        <location filename="../../ui/signin.py" line="102"/>
        <source>密码</source>
        <translation>Password</translation>
    </message>
    <message>
        <location filename="../../ui/signin.py" line="102"/>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../ui/signin.py" line="102"/>
        <source>角色</source>
        <translation>Roles</translation>
    </message>
    <message>
        <location filename="../../ui/signin.py" line="108"/>
        <source>新手请用 agent1 / demo-agent1 登录：一分钟内会有模拟来电弹屏。</source>
        <translation>New here? Sign in as agent1 / demo-agent1: a simulated call pops within a minute.</translation>
    </message>
    <message>
        <location filename="../../ui/signin.py" line="138"/>
        <source>正在登录…</source>
        <translation>Signing in…</translation>
    </message>
    <message>
        <location filename="../../ui/signin.py" line="151"/>
        <source>请输入用户名和密码</source>
        <translation>Enter user name and password</translation>
    </message>
</context>
<context>
    <name>SubjectPicker</name>
    <message>
        <location filename="../../ui/intake_fields.py" line="57"/>
        <source>输入汉字或拼音首字母，如 wy → 物业管理</source>
        <translation>Type characters or pinyin initials, e.g. wy → 物业管理</translation>
    </message>
</context>
<context>
    <name>TicketCommon</name>
    <message>
        <location filename="../../ui/ticket_common.py" line="81"/>
        <source>周一</source>
        <translation>Mon</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_common.py" line="82"/>
        <source>周二</source>
        <translation>Tue</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_common.py" line="83"/>
        <source>周三</source>
        <translation>Wed</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_common.py" line="84"/>
        <source>周四</source>
        <translation>Thu</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_common.py" line="85"/>
        <source>周五</source>
        <translation>Fri</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_common.py" line="86"/>
        <source>周六</source>
        <translation>Sat</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_common.py" line="87"/>
        <source>周日</source>
        <translation>Sun</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_common.py" line="96"/>
        <source>{y}年{m:02d}月{d:02d}日（{w}）</source>
        <translation>{w} {y}-{m:02d}-{d:02d}</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_common.py" line="103"/>
        <source>已超期</source>
        <translation>Overdue</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_common.py" line="106"/>
        <source>即将到期</source>
        <translation>Due soon</translation>
    </message>
</context>
<context>
    <name>TicketDetail</name>
    <message>
        <location filename="../../ui/ticket_detail.py" line="291"/>
        <source>未选择工单</source>
        <translation>No ticket selected</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_detail.py" line="334"/>
        <source>办理记录</source>
        <translation>History</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_detail.py" line="376"/>
        <source>无法打开工单：{0}</source>
        <translation>Cannot open the ticket: {0}</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_detail.py" line="389"/>
        <source>⚠ 工单刚被其他操作更新（现为“{0}”）。</source>
        <translation>⚠ The ticket was just changed elsewhere (now “{0}”).</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_detail.py" line="390"/>
        <source>您填写的内容已保留，请核对下方最新情况后再提交。</source>
        <translation> What you typed is kept; check the latest state below before submitting.</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_detail.py" line="392"/>
        <source>&#x3000;（保密）</source>
        <translation>  (confidential)</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_detail.py" line="396"/>
        <source>&#x3000;办结期限 {0}</source>
        <translation>  Due {0}</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_detail.py" line="398"/>
        <source>（{0}个工作日）</source>
        <translation> ({0} working days)</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_detail.py" line="409"/>
        <source>在左侧列表中选择一张工单。</source>
        <translation>Choose a ticket in the list on the left.</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_detail.py" line="410"/>
        <source>（选择工单后显示）</source>
        <translation>(shown once a ticket is chosen)</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_detail.py" line="415"/>
        <source>保密工单：您的角色无权查看内容。</source>
        <translation>Confidential ticket: your role may not see its content. </translation>
    </message>
    <message>
        <location filename="../../ui/ticket_detail.py" line="416"/>
        <source>登记于 {0}。</source>
        <translation>Registered {0}.</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_detail.py" line="418"/>
        <source>类别</source>
        <translation>Category</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_detail.py" line="419"/>
        <source>事项分类</source>
        <translation>Subject</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_detail.py" line="420"/>
        <source>来电人</source>
        <translation>Caller</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_detail.py" line="420"/>
        <source>（已脱敏）</source>
        <translation> (masked)</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_detail.py" line="421"/>
        <source>渠道</source>
        <translation>Channel</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_detail.py" line="422"/>
        <source>事发时间</source>
        <translation>Time of event</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_detail.py" line="423"/>
        <source>地点</source>
        <translation>Place</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_detail.py" line="424"/>
        <source>涉及人员</source>
        <translation>Parties</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_detail.py" line="425"/>
        <source>事件经过</source>
        <translation>What happened</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_detail.py" line="426"/>
        <source>诉求事项</source>
        <translation>Request</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_detail.py" line="427"/>
        <source>紧急程度</source>
        <translation>Urgency</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_detail.py" line="428"/>
        <source>回访</source>
        <translation>Callback</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_detail.py" line="428"/>
        <source>需要回访</source>
        <translation>Wanted</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_detail.py" line="428"/>
        <source>不需回访</source>
        <translation>Not wanted</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_detail.py" line="429"/>
        <source>登记</source>
        <translation>Registered</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_detail.py" line="432"/>
        <source>转办方式</source>
        <translation>Dispatch mode</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_detail.py" line="434"/>
        <source>，{0}签收</source>
        <translation>, acknowledged {0}</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_detail.py" line="435"/>
        <source>，未签收</source>
        <translation>, not yet acknowledged</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_detail.py" line="436"/>
        <source>{0}（联系人 {1} {2}）</source>
        <translation>{0} (contact {1} {2})</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_detail.py" line="439"/>
        <source>转办意见</source>
        <translation>Instructions</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_detail.py" line="441"/>
        <source>延期申请</source>
        <translation>Extension request</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_detail.py" line="441"/>
        <source>申请延至 {0}：{1}（待审批）</source>
        <translation>Until {0}: {1} (awaiting decision)</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_detail.py" line="445"/>
        <source>办理结果</source>
        <translation>Outcome</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_detail.py" line="447"/>
        <source>答复</source>
        <translation>Answer</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_detail.py" line="449"/>
        <source>回访评价</source>
        <translation>Callback rating</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_detail.py" line="452"/>
        <source>退单{0}次</source>
        <translation>returned {0}×</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_detail.py" line="454"/>
        <source>延期{0}次</source>
        <translation>extended {0}×</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_detail.py" line="456"/>
        <source>重办{0}次</source>
        <translation>redone {0}×</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_detail.py" line="458"/>
        <source>记录</source>
        <translation>Record</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_detail.py" line="458"/>
        <source>，</source>
        <translation>, </translation>
    </message>
    <message>
        <location filename="../../ui/ticket_detail.py" line="478"/>
        <source>（无）</source>
        <translation>(none)</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_detail.py" line="526"/>
        <source>不予受理原因</source>
        <translation>Reason not in scope</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_detail.py" line="554"/>
        <source>工单 {0}：已{1}</source>
        <translation>Ticket {0}: {1}</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_detail.py" line="562"/>
        <source>工单已被其他坐席修改：您填写的内容已保留，请核对最新情况后再提交</source>
        <translation>Another desk changed the ticket: what you typed is kept; check the latest state before submitting</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_detail.py" line="572"/>
        <source>操作未完成（详情见消息栏）</source>
        <translation>The action did not go through (details in the message bar)</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_detail.py" line="581"/>
        <source>对方操作：{0}&#x3000;经办人：{1}&#x3000;时间：{2}</source>
        <translation>Their action: {0}  By: {1}  At: {2}</translation>
    </message>
    <message>
        <location filename="../../ui/ticket_detail.py" line="586"/>
        <source>下方已显示最新内容。</source>
        <translation>The latest state is shown below.</translation>
    </message>
</context>
<context>
    <name>TicketFilterBar</name>
    <message>
        <location filename="../../ui/tickets.py" line="352"/>
        <source>编号、电话或关键词，如 噪音</source>
        <translation>Number, phone or keyword, e.g. 噪音</translation>
    </message>
    <message>
        <location filename="../../ui/tickets.py" line="355"/>
        <source>查找(&amp;F)</source>
        <translation>&amp;Find</translation>
    </message>
    <message>
        <location filename="../../ui/tickets.py" line="360"/>
        <source>全部状态</source>
        <translation>All statuses</translation>
    </message>
    <message>
        <location filename="../../ui/tickets.py" line="361"/>
        <source>未办结</source>
        <translation>Open</translation>
    </message>
    <message>
        <location filename="../../ui/tickets.py" line="366"/>
        <source>全部类别</source>
        <translation>All categories</translation>
    </message>
    <message>
        <location filename="../../ui/tickets.py" line="370"/>
        <source>已超期(&amp;O)</source>
        <translation>&amp;Overdue</translation>
    </message>
    <message>
        <location filename="../../ui/tickets.py" line="371"/>
        <source>即将到期(&amp;E)</source>
        <translation>Du&amp;e soon</translation>
    </message>
    <message>
        <location filename="../../ui/tickets.py" line="374"/>
        <source>查询</source>
        <translation>Search</translation>
    </message>
    <message>
        <location filename="../../ui/tickets.py" line="384"/>
        <source>事项分类（拼音首字母）</source>
        <translation>Subject (pinyin initials)</translation>
    </message>
    <message>
        <location filename="../../ui/tickets.py" line="388"/>
        <source>承办单位</source>
        <translation>Handling unit</translation>
    </message>
    <message>
        <location filename="../../ui/tickets.py" line="392"/>
        <source>登记日期</source>
        <translation>Registered</translation>
    </message>
    <message>
        <location filename="../../ui/tickets.py" line="405"/>
        <source>至</source>
        <translation>to</translation>
    </message>
    <message>
        <location filename="../../ui/tickets.py" line="407"/>
        <source>清除条件</source>
        <translation>Clear filters</translation>
    </message>
</context>
<context>
    <name>TicketListModel</name>
    <message>
        <location filename="../../ui/tickets.py" line="60"/>
        <source>编号</source>
        <extracomment>placeholder pages after the loaded rows while more exist (see the module&apos;s docstring) at most this many rows are reloaded in one query when something changed the roles the list serves; Qt asks ~10 roles per cell per paint and the rest get None at once column headers (Chinese source text; headerData translates)</extracomment>
        <translation>Number</translation>
    </message>
    <message>
        <location filename="../../ui/tickets.py" line="61"/>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../ui/tickets.py" line="62"/>
        <source>办结期限</source>
        <translation>Due</translation>
    </message>
    <message>
        <location filename="../../ui/tickets.py" line="63"/>
        <source>类别</source>
        <translation>Category</translation>
    </message>
    <message>
        <location filename="../../ui/tickets.py" line="64"/>
        <source>事项分类</source>
        <translation>Subject</translation>
    </message>
    <message>
        <location filename="../../ui/tickets.py" line="65"/>
        <source>县市区</source>
        <translation>District</translation>
    </message>
    <message>
        <location filename="../../ui/tickets.py" line="66"/>
        <source>来电人</source>
        <translation>Caller</translation>
    </message>
    <message>
        <location filename="../../ui/tickets.py" line="67"/>
        <source>来电号码</source>
        <translation>Phone</translation>
    </message>
    <message>
        <location filename="../../ui/tickets.py" line="68"/>
        <source>诉求摘要</source>
        <translation>Request</translation>
    </message>
    <message>
        <location filename="../../ui/tickets.py" line="69"/>
        <source>主办单位</source>
        <translation>Lead unit</translation>
    </message>
    <message>
        <location filename="../../ui/tickets.py" line="70"/>
        <source>登记时间</source>
        <translation>Registered</translation>
    </message>
    <message>
        <location filename="../../ui/tickets.py" line="74"/>
        <source>加载中…</source>
        <translation>Loading…</translation>
    </message>
    <message>
        <location filename="../../ui/tickets.py" line="299"/>
        <source>{0}：期限 {1}</source>
        <translation>{0}: due {1}</translation>
    </message>
    <message>
        <location filename="../../ui/tickets.py" line="296"/>
        <source>保密工单</source>
        <extracomment>placeholder rows after ``_rows`` (more tickets exist; not fetched yet) per row, what the cells show, formatted once when the page arrived (see _row_view) the last page asked for failed: nothing is fetched ahead by itself (``ensure_row``), else a database outage would be asked again at once, forever</extracomment>
        <translation>Confidential ticket</translation>
    </message>
    <message>
        <location filename="../../ui/tickets.py" line="313"/>
        <source>（保密）</source>
        <translation>(confidential)</translation>
    </message>
</context>
<context>
    <name>TicketsPage</name>
    <message>
        <location filename="../../ui/tickets.py" line="513"/>
        <source>查询失败：</source>
        <translation>Search failed: </translation>
    </message>
    <message>
        <location filename="../../ui/tickets.py" line="583"/>
        <source>，向下滚动加载更多</source>
        <extracomment>tickets changed since the last refresh (None: unknown which — reload the detail too)</extracomment>
        <translation>; scroll down for more</translation>
    </message>
    <message>
        <location filename="../../ui/tickets.py" line="584"/>
        <source>正在查询…</source>
        <translation>Searching…</translation>
    </message>
    <message>
        <location filename="../../ui/tickets.py" line="585"/>
        <source>已显示 {0} 张工单</source>
        <translation>Tickets shown: {0}</translation>
    </message>
</context>
<context>
    <name>TownshipPicker</name>
    <message>
        <location filename="../../ui/intake_fields.py" line="165"/>
        <source>乡镇 / 街道</source>
        <translation>Township / street</translation>
    </message>
</context>
<context>
    <name>Wallboard</name>
    <message>
        <location filename="../../ui/wallboard.py" line="65"/>
        <location filename="../../ui/wallboard.py" line="173"/>
        <source>正在连接话务监控…</source>
        <extracomment>the listen-in modes, in button order: SupervisorTools method name commands in flight (kept so they are not garbage-collected half-way) the listen-in being set up (the lead&apos;s phone ringing); one at a time</extracomment>
        <translation>Connecting to the queue monitor…</translation>
    </message>
    <message>
        <location filename="../../ui/wallboard.py" line="71"/>
        <source>坐席</source>
        <translation>Agent</translation>
    </message>
    <message>
        <location filename="../../ui/wallboard.py" line="71"/>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../ui/wallboard.py" line="71"/>
        <source>暂停原因</source>
        <translation>Pause reason</translation>
    </message>
    <message>
        <location filename="../../ui/wallboard.py" line="72"/>
        <source>持续</source>
        <translation>For</translation>
    </message>
    <message>
        <location filename="../../ui/wallboard.py" line="72"/>
        <source>今日接听</source>
        <translation>Taken today</translation>
    </message>
    <message>
        <location filename="../../ui/wallboard.py" line="72"/>
        <source>队列</source>
        <translation>Queues</translation>
    </message>
    <message>
        <location filename="../../ui/wallboard.py" line="73"/>
        <source>接口</source>
        <translation>Interface</translation>
    </message>
    <message>
        <location filename="../../ui/wallboard.py" line="87"/>
        <source>暂停所选坐席</source>
        <translation>Pause selected agent</translation>
    </message>
    <message>
        <location filename="../../ui/wallboard.py" line="88"/>
        <source>恢复所选坐席</source>
        <translation>Resume selected agent</translation>
    </message>
    <message>
        <location filename="../../ui/wallboard.py" line="89"/>
        <source>签出所选坐席</source>
        <translation>Log out selected agent</translation>
    </message>
    <message>
        <location filename="../../ui/wallboard.py" line="90"/>
        <source>原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location filename="../../ui/wallboard.py" line="97"/>
        <source>所选坐席的通话：</source>
        <translation>Selected agent&apos;s call:</translation>
    </message>
    <message>
        <location filename="../../ui/wallboard.py" line="99"/>
        <source>监听(&amp;L)</source>
        <translation>&amp;Listen in</translation>
    </message>
    <message>
        <location filename="../../ui/wallboard.py" line="100"/>
        <source>耳语(&amp;W)</source>
        <translation>&amp;Whisper</translation>
    </message>
    <message>
        <location filename="../../ui/wallboard.py" line="101"/>
        <source>强插(&amp;B)</source>
        <translation>&amp;Barge in</translation>
    </message>
    <message>
        <location filename="../../ui/wallboard.py" line="104"/>
        <source>先呼叫您的话机，接听后旁听该坐席的通话（坐席和市民都听不到您）</source>
        <translation>Rings your phone first; once you answer you hear the agent&apos;s call (neither the agent nor the citizen hears you)</translation>
    </message>
    <message>
        <location filename="../../ui/wallboard.py" line="105"/>
        <source>先呼叫您的话机，接听后只有坐席能听到您（市民听不到）</source>
        <translation>Rings your phone first; once you answer only the agent hears you (the citizen does not)</translation>
    </message>
    <message>
        <location filename="../../ui/wallboard.py" line="106"/>
        <source>先呼叫您的话机，接听后加入通话（坐席和市民都能听到您）</source>
        <translation>Rings your phone first; once you answer you join the call (the agent and the citizen both hear you)</translation>
    </message>
    <message>
        <location filename="../../ui/wallboard.py" line="125"/>
        <source>监听</source>
        <translation>Listen-in</translation>
    </message>
    <message>
        <location filename="../../ui/wallboard.py" line="125"/>
        <source>耳语</source>
        <translation>Whisper</translation>
    </message>
    <message>
        <location filename="../../ui/wallboard.py" line="125"/>
        <source>强插</source>
        <translation>Barge-in</translation>
    </message>
    <message>
        <location filename="../../ui/wallboard.py" line="144"/>
        <source>队列 </source>
        <translation>Queue </translation>
    </message>
    <message>
        <location filename="../../ui/wallboard.py" line="148"/>
        <source>等待</source>
        <translation>Waiting</translation>
    </message>
    <message>
        <location filename="../../ui/wallboard.py" line="148"/>
        <source>最长等待</source>
        <translation>Longest wait</translation>
    </message>
    <message>
        <location filename="../../ui/wallboard.py" line="148"/>
        <source>今日已接</source>
        <translation>Answered today</translation>
    </message>
    <message>
        <location filename="../../ui/wallboard.py" line="148"/>
        <source>放弃</source>
        <translation>Abandoned</translation>
    </message>
    <message>
        <location filename="../../ui/wallboard.py" line="149"/>
        <source>服务水平（{s} 秒）</source>
        <translation>Service level ({s} s)</translation>
    </message>
    <message>
        <location filename="../../ui/wallboard.py" line="175"/>
        <source>监控链路中断，以下为最后已知数据</source>
        <translation>Monitor link down: last known numbers</translation>
    </message>
    <message>
        <location filename="../../ui/wallboard.py" line="177"/>
        <source>实时数据</source>
        <translation>Live</translation>
    </message>
    <message>
        <location filename="../../ui/wallboard.py" line="198"/>
        <source>仅班长可以监听坐席通话</source>
        <translation>Only a shift lead can listen in on agents&apos; calls</translation>
    </message>
    <message>
        <location filename="../../ui/wallboard.py" line="200"/>
        <source>本次登录未连接电话系统，无法监听</source>
        <translation>No phone system in this session: listening in is not possible</translation>
    </message>
    <message>
        <location filename="../../ui/wallboard.py" line="202"/>
        <source>正在呼叫您的话机，请摘机接听…</source>
        <translation>Calling your phone, please pick up…</translation>
    </message>
    <message>
        <location filename="../../ui/wallboard.py" line="204"/>
        <source>选择一位通话中的坐席，即可监听、耳语或强插</source>
        <translation>Select an agent who is on a call to listen in, whisper or barge in</translation>
    </message>
    <message>
        <location filename="../../ui/wallboard.py" line="206"/>
        <source>不能监听自己的通话</source>
        <translation>You cannot listen in on your own call</translation>
    </message>
    <message>
        <location filename="../../ui/wallboard.py" line="209"/>
        <source>所选坐席当前不在通话中</source>
        <translation>The selected agent is not on a call</translation>
    </message>
    <message>
        <location filename="../../ui/wallboard.py" line="211"/>
        <source>监控链路中断，坐席状态未知，暂不能监听</source>
        <translation>Monitor link down: agent states are unknown, listening in is not possible now</translation>
    </message>
    <message>
        <location filename="../../ui/wallboard.py" line="221"/>
        <source>您的话机会先振铃，接听后开始；该坐席的通话结束时自动挂断</source>
        <translation>Your phone rings first; it starts when you answer and hangs up when the agent&apos;s call ends</translation>
    </message>
    <message>
        <location filename="../../ui/wallboard.py" line="235"/>
        <location filename="../../ui/wallboard.py" line="294"/>
        <source>{what}失败：{error}</source>
        <translation>{what} failed: {error}</translation>
    </message>
    <message>
        <location filename="../../ui/wallboard.py" line="237"/>
        <source>已发送：{what}（以交换机状态为准）</source>
        <translation>Sent: {what} (the PBX&apos;s state is what counts)</translation>
    </message>
    <message>
        <location filename="../../ui/wallboard.py" line="247"/>
        <source>暂停坐席 </source>
        <translation>Pause agent </translation>
    </message>
    <message>
        <location filename="../../ui/wallboard.py" line="254"/>
        <source>恢复坐席 </source>
        <translation>Resume agent </translation>
    </message>
    <message>
        <location filename="../../ui/wallboard.py" line="261"/>
        <source>签出坐席 </source>
        <translation>Log out agent </translation>
    </message>
    <message>
        <location filename="../../ui/wallboard.py" line="276"/>
        <source>正在呼叫您的话机（{phone}），摘机后开始{what}{name}的通话…</source>
        <translation>Calling your phone ({phone}); pick up to start: {what} on {name}&apos;s call…</translation>
    </message>
    <message>
        <location filename="../../ui/wallboard.py" line="302"/>
        <source>您的话机已接通：正在{what}{name}的通话，该通话结束时自动挂断</source>
        <translation>Your phone answered: {what} on {name}&apos;s call; it hangs up when that call ends</translation>
    </message>
    <message>
        <location filename="../../ui/wallboard.py" line="305"/>
        <source>{what}未开始：您的话机无人接听</source>
        <translation>{what} not started: your phone was not answered</translation>
    </message>
    <message>
        <location filename="../../ui/wallboard.py" line="307"/>
        <source>{what}未开始：您的话机忙线</source>
        <translation>{what} not started: your phone is busy</translation>
    </message>
    <message>
        <location filename="../../ui/wallboard.py" line="312"/>
        <source>您的话机无法接通</source>
        <translation>your phone could not be reached</translation>
    </message>
    <message>
        <location filename="../../ui/wallboard.py" line="313"/>
        <source>{what}失败：{why}</source>
        <translation>{what} failed: {why}</translation>
    </message>
</context>
</TS>
