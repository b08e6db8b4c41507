<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>AgentBar</name>
    <message>
        <location filename="../../ui/agent_bar.py" line="100"/>
        <source>就绪</source>
        <translation>Ready</translation>
    </message>
    <message>
        <location filename="../../ui/agent_bar.py" line="103"/>
        <source>暂停原因</source>
        <translation>Pause reason</translation>
    </message>
    <message>
        <location filename="../../ui/agent_bar.py" line="104"/>
        <source>暂停</source>
        <translation>Pause</translation>
    </message>
    <message>
        <location filename="../../ui/agent_bar.py" line="153"/>
        <source>坐席</source>
        <translation>Agent</translation>
    </message>
    <message>
        <location filename="../../ui/agent_bar.py" line="161"/>
        <location filename="../../ui/agent_bar.py" line="170"/>
        <source>请先签入队列（Ctrl+L）</source>
        <translation>Log in to the queue first (Ctrl+L)</translation>
    </message>
    <message>
        <location filename="../../ui/agent_bar.py" line="172"/>
        <source>小休</source>
        <translation>Short break</translation>
    </message>
    <message>
        <location filename="../../ui/agent_bar.py" line="226"/>
        <source>未配置电话系统</source>
        <translation>No phone system configured</translation>
    </message>
    <message>
        <location filename="../../ui/agent_bar.py" line="229"/>
        <source>正在连接</source>
        <translation>Connecting</translation>
    </message>
    <message>
        <location filename="../../ui/agent_bar.py" line="237"/>
        <source>（第 {n} 次重连）</source>
        <translation> (reconnect attempt {n})</translation>
    </message>
    <message>
        <location filename="../../ui/agent_bar.py" line="244"/>
        <source>状态未知</source>
        <translation>State unknown</translation>
    </message>
    <message>
        <location filename="../../ui/agent_bar.py" line="254"/>
        <source>（最后已知）</source>
        <translation> (last known)</translation>
    </message>
    <message>
        <location filename="../../ui/agent_bar.py" line="259"/>
        <source>签出队列</source>
        <translation>Leave queue</translation>
    </message>
    <message>
        <location filename="../../ui/agent_bar.py" line="259"/>
        <source>签入队列</source>
        <translation>Join queue</translation>
    </message>
    <message>
        <location filename="../../ui/agent_bar.py" line="265"/>
        <source>通话</source>
        <translation>Call</translation>
    </message>
    <message>
        <location filename="../../ui/agent_bar.py" line="268"/>
        <source>上次通话</source>
        <translation>Last call</translation>
    </message>
    <message>
        <location filename="../../ui/agent_bar.py" line="270"/>
        <source>无通话</source>
        <translation>No call</translation>
    </message>
    <message>
        <location filename="../../ui/agent_bar.py" line="276"/>
        <source>来电</source>
        <translation>Caller</translation>
    </message>
</context>
<context>
    <name>CallPop</name>
    <message>
        <location filename="../../ui/pop.py" line="79"/>
        <source>工单编号</source>
        <extracomment>the pop goes away by itself for these; a call talked through at this desk stays until taken</extracomment>
        <translation>Ticket no.</translation>
    </message>
    <message>
        <location filename="../../ui/pop.py" line="79"/>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../ui/pop.py" line="290"/>
        <source>【保密】保密工单（无权查看内容）</source>
        <translation>[Confidential] no access to its content</translation>
    </message>
    <message>
        <location filename="../../ui/pop.py" line="294"/>
        <source>【保密】</source>
        <translation>[Confidential] </translation>
    </message>
    <message>
        <location filename="../../ui/pop.py" line="301"/>
        <source>受理时间</source>
        <translation>Registered</translation>
    </message>
    <message>
        <location filename="../../ui/pop.py" line="79"/>
        <source>办理时限</source>
        <translation>Due</translation>
    </message>
    <message>
        <location filename="../../ui/pop.py" line="80"/>
        <source>诉求</source>
        <translation>Request</translation>
    </message>
    <message>
        <location filename="../../ui/pop.py" line="94"/>
        <source>受理此来电</source>
        <translation>Take this call</translation>
    </message>
    <message>
        <location filename="../../ui/pop.py" line="98"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../ui/pop.py" line="196"/>
        <source>号码未显示，无法查询历史工单</source>
        <translation>Number withheld: no history to look up</translation>
    </message>
    <message>
        <location filename="../../ui/pop.py" line="211"/>
        <source>历史工单查询失败：</source>
        <translation>History lookup failed: </translation>
    </message>
    <message>
        <location filename="../../ui/pop.py" line="228"/>
        <source>直拨来电</source>
        <translation>Direct call</translation>
    </message>
    <message>
        <location filename="../../ui/pop.py" line="228"/>
        <source>队列 {q} 来电</source>
        <translation>Call from queue {q}</translation>
    </message>
    <message>
        <location filename="../../ui/pop.py" line="230"/>
        <source>通话已结束</source>
        <translation>Call ended</translation>
    </message>
    <message>
        <location filename="../../ui/pop.py" line="232"/>
        <source>通话中</source>
        <translation>On call</translation>
    </message>
    <message>
        <location filename="../../ui/pop.py" line="234"/>
        <source>振铃中</source>
        <translation>Ringing</translation>
    </message>
    <message>
        <location filename="../../ui/pop.py" line="236"/>
        <source>已转入受理</source>
        <translation>taken into intake</translation>
    </message>
    <message>
        <location filename="../../ui/pop.py" line="238"/>
        <source>（恢复）</source>
        <translation> (recovered)</translation>
    </message>
    <message>
        <location filename="../../ui/pop.py" line="246"/>
        <source>来电时间</source>
        <translation>Call time</translation>
    </message>
    <message>
        <location filename="../../ui/pop.py" line="250"/>
        <source>来电显示</source>
        <translation>Caller ID</translation>
    </message>
    <message>
        <location filename="../../ui/pop.py" line="252"/>
        <source>另有 {n} 个来电</source>
        <translation>{n} more call(s)</translation>
    </message>
    <message>
        <location filename="../../ui/pop.py" line="259"/>
        <source>正在查询历史工单…</source>
        <translation>Looking up earlier tickets…</translation>
    </message>
    <message>
        <location filename="../../ui/pop.py" line="262"/>
        <source>重复来电：近期已来电 {n} 次</source>
        <translation>Repeat caller: {n} calls recently</translation>
    </message>
    <message>
        <location filename="../../ui/pop.py" line="267"/>
        <source>未办结工单 {n} 件：</source>
        <translation>{n} open ticket(s): </translation>
    </message>
    <message>
        <location filename="../../ui/pop.py" line="270"/>
        <source>无未办结工单</source>
        <translation>No open tickets</translation>
    </message>
    <message>
        <location filename="../../ui/pop.py" line="272"/>
        <source>首次来电：没有历史工单</source>
        <translation>First call: no earlier tickets</translation>
    </message>
    <message>
        <location filename="../../ui/pop.py" line="280"/>
        <source>已在受理页开始登记；通话结束后本面板自动关闭。</source>
        <translation>Intake started; this panel closes when the call ends.</translation>
    </message>
    <message>
        <location filename="../../ui/pop.py" line="282"/>
        <source>通话已结束，仍可按 F5 登记本次来电，或关闭。</source>
        <translation>The call has ended; press F5 to still register it, or close.</translation>
    </message>
    <message>
        <location filename="../../ui/pop.py" line="284"/>
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
        <location filename="../../ui/app.py" line="139"/>
        <source>正在打开数据库…</source>
        <extracomment>demo mode: seconds from queue login to the first citizen call (None: no such call)</extracomment>
        <translation>Opening the database…</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="150"/>
        <source>数据库无法打开：</source>
        <translation>Cannot open the database: </translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="151"/>
        <source>&#x3000;请在“设置”中检查数据库地址。</source>
        <translation> Check the database address under Settings.</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="155"/>
        <source>演示模式（内置数据库、模拟电话系统）</source>
        <translation>Demo mode (embedded database, simulated phone system)</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="156"/>
        <source>数据库已连接：</source>
        <translation>Database connected: </translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="157"/>
        <source>，请登录。</source>
        <translation>; please sign in.</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="227"/>
        <source>电话系统设置不完整，本次登录不接来电：</source>
        <translation>Phone settings incomplete; no calls this session: </translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="334"/>
        <source>数据库或电话系统设置已保存，注销后重新登录生效</source>
        <translation>Database / phone settings saved; they apply after signing in again</translation>
    </message>
</context>
<context>
    <name>DeskStatusBar</name>
    <message>
        <location filename="../../ui/statusbar.py" line="46"/>
        <source>电话：未配置</source>
        <translation>Phone: not configured</translation>
    </message>
    <message>
        <location filename="../../ui/statusbar.py" line="48"/>
        <source>正在连接数据库…</source>
        <translation>Connecting to the database…</translation>
    </message>
    <message>
        <location filename="../../ui/statusbar.py" line="49"/>
        <source>数据库：连接中</source>
        <translation>Database: connecting</translation>
    </message>
    <message>
        <location filename="../../ui/statusbar.py" line="50"/>
        <source>同步：等待</source>
        <translation>Sync: waiting</translation>
    </message>
    <message>
        <location filename="../../ui/statusbar.py" line="54"/>
        <source>（模拟）</source>
        <translation> (simulated)</translation>
    </message>
    <message>
        <location filename="../../ui/statusbar.py" line="56"/>
        <location filename="../../ui/statusbar.py" line="66"/>
        <location filename="../../ui/statusbar.py" line="71"/>
        <source>电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <location filename="../../ui/statusbar.py" line="56"/>
        <source>正在连接</source>
        <translation>Connecting</translation>
    </message>
    <message>
        <location filename="../../ui/statusbar.py" line="66"/>
        <location filename="../../ui/statusbar.py" line="79"/>
        <location filename="../../ui/statusbar.py" line="83"/>
        <source>正常</source>
        <translation>OK</translation>
    </message>
    <message>
        <location filename="../../ui/statusbar.py" line="78"/>
        <source>数据库</source>
        <translation>Database</translation>
    </message>
    <message>
        <location filename="../../ui/statusbar.py" line="79"/>
        <source>不可用</source>
        <translation>unavailable</translation>
    </message>
    <message>
        <location filename="../../ui/statusbar.py" line="82"/>
        <source>同步</source>
        <translation>Sync</translation>
    </message>
    <message>
        <location filename="../../ui/statusbar.py" line="83"/>
        <source>中断</source>
        <translation>interrupted</translation>
    </message>
    <message>
        <location filename="../../ui/statusbar.py" line="42"/>
        <source>处理中…</source>
        <translation>Working…</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../ui/main_window.py" line="65"/>
        <source>工作台</source>
        <translation>Workbench</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="66"/>
        <source>工单</source>
        <translation>Tickets</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="67"/>
        <source>监控</source>
        <translation>Wallboard</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="85"/>
        <source>上饶市长热线 12345 坐席桌面</source>
        <translation>Shangrao 12345 Hotline Desk</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="122"/>
        <source>内置</source>
        <translation>embedded</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="175"/>
        <source>坐席(&amp;D)</source>
        <translation>&amp;Desk</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="176"/>
        <source>新建受理单</source>
        <translation>New intake</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="180"/>
        <source>设置…</source>
        <translation>Settings…</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="182"/>
        <source>注销</source>
        <translation>Sign out</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="183"/>
        <source>退出</source>
        <translation>Quit</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="184"/>
        <source>快捷键(&amp;K)</source>
        <translation>&amp;Keys</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="185"/>
        <source>F2 就绪&#x3000;F3 暂停（所选原因）&#x3000;Ctrl+L 签入/签出队列</source>
        <translation>F2 ready   F3 pause (chosen reason)   Ctrl+L join/leave queue</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="186"/>
        <source>F5 受理来电弹屏&#x3000;Ctrl+N 新建受理单</source>
        <translation>F5 take the call pop   Ctrl+N new intake</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="187"/>
        <source>Ctrl+1…9 切换页面&#x3000;Ctrl+R 刷新工单列表</source>
        <translation>Ctrl+1…9 switch page   Ctrl+R refresh ticket list</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="218"/>
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
        <location filename="../../ui/settings.py" line="99"/>
        <source>测试数据库连接</source>
        <translation>Test database connection</translation>
    </message>
    <message>
        <location filename="../../ui/settings.py" line="102"/>
        <source>数据库地址</source>
        <translation>Database URL</translation>
    </message>
    <message>
        <location filename="../../ui/settings.py" line="103"/>
        <location filename="../../ui/settings.py" line="239"/>
        <source>数据库密码</source>
        <translation>Database password</translation>
    </message>
    <message>
        <location filename="../../ui/settings.py" line="108"/>
        <source>电话系统（Asterisk AMI）</source>
        <translation>Phone system (Asterisk AMI)</translation>
    </message>
    <message>
        <location filename="../../ui/settings.py" line="111"/>
        <source>留空 = 使用内置模拟电话系统（演示）</source>
        <translation>Empty = built-in simulated phone system (demo)</translation>
    </message>
    <message>
        <location filename="../../ui/settings.py" line="118"/>
        <source>密钥来源：</source>
        <translation>Secret from: </translation>
    </message>
    <message>
        <location filename="../../ui/settings.py" line="123"/>
        <source>测试电话系统连接</source>
        <translation>Test phone system connection</translation>
    </message>
    <message>
        <location filename="../../ui/settings.py" line="126"/>
        <source>主机</source>
        <translation>Host</translation>
    </message>
    <message>
        <location filename="../../ui/settings.py" line="127"/>
        <source>端口</source>
        <translation>Port</translation>
    </message>
    <message>
        <location filename="../../ui/settings.py" line="128"/>
        <source>AMI 用户</source>
        <translation>AMI user</translation>
    </message>
    <message>
        <location filename="../../ui/settings.py" line="129"/>
        <location filename="../../ui/settings.py" line="241"/>
        <source>AMI 密钥</source>
        <translation>AMI secret</translation>
    </message>
    <message>
        <location filename="../../ui/settings.py" line="131"/>
        <source>本机分机接口</source>
        <translation>This desk&apos;s interface</translation>
    </message>
    <message>
        <location filename="../../ui/settings.py" line="132"/>
        <source>队列（逗号分隔）</source>
        <translation>Queues (comma separated)</translation>
    </message>
    <message>
        <location filename="../../ui/settings.py" line="133"/>
        <source>坐席名称</source>
        <translation>Member name</translation>
    </message>
    <message>
        <location filename="../../ui/settings.py" line="137"/>
        <source>坐席</source>
        <translation>Agent</translation>
    </message>
    <message>
        <location filename="../../ui/settings.py" line="147"/>
        <source>暂停原因（逗号分隔）</source>
        <translation>Pause reasons (comma separated)</translation>
    </message>
    <message>
        <location filename="../../ui/settings.py" line="148"/>
        <source>界面语言</source>
        <translation>Language</translation>
    </message>
    <message>
        <location filename="../../ui/settings.py" line="149"/>
        <source>字号（磅）</source>
        <translation>Font size (pt)</translation>
    </message>
    <message>
        <location filename="../../ui/settings.py" line="156"/>
        <source>数据库和电话系统的更改在下次登录时生效。</source>
        <translation>Database and phone changes apply at the next sign-in.</translation>
    </message>
    <message>
        <location filename="../../ui/settings.py" line="161"/>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <location filename="../../ui/settings.py" line="162"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../ui/settings.py" line="203"/>
        <location filename="../../ui/settings.py" line="219"/>
        <source>正在测试…</source>
        <translation>Testing…</translation>
    </message>
    <message>
        <location filename="../../ui/settings.py" line="217"/>
        <source>未填写主机：使用内置模拟电话系统，无需测试</source>
        <translation>No host: the built-in simulator is used, nothing to test</translation>
    </message>
    <message>
        <location filename="../../ui/settings.py" line="226"/>
        <source>连接超时（15 秒）：请检查主机、端口和防火墙</source>
        <translation>Timed out (15 s): check host, port and firewall</translation>
    </message>
</context>
<context>
    <name>SignInWindow</name>
    <message>
        <location filename="../../ui/signin.py" line="41"/>
        <source>上饶市长热线 12345 — 坐席登录</source>
        <translation>Shangrao 12345 Hotline — sign in</translation>
    </message>
    <message>
        <location filename="../../ui/signin.py" line="47"/>
        <source>上饶市长热线 12345 坐席桌面</source>
        <translation>Shangrao 12345 Hotline Desk</translation>
    </message>
    <message>
        <location filename="../../ui/signin.py" line="56"/>
        <source>工号 / 用户名</source>
        <translation>Staff no. / user name</translation>
    </message>
    <message>
        <location filename="../../ui/signin.py" line="59"/>
        <source>用户名(&amp;U)</source>
        <translation>&amp;User name</translation>
    </message>
    <message>
        <location filename="../../ui/signin.py" line="60"/>
        <source>密码(&amp;P)</source>
        <translation>&amp;Password</translation>
    </message>
    <message>
        <location filename="../../ui/signin.py" line="67"/>
        <source>正在准备数据库…</source>
        <translation>Preparing the database…</translation>
    </message>
    <message>
        <location filename="../../ui/signin.py" line="72"/>
        <source>设置(&amp;S)…</source>
        <translation>&amp;Settings…</translation>
    </message>
    <message>
        <location filename="../../ui/signin.py" line="73"/>
        <location filename="../../ui/signin.py" line="139"/>
        <source>登录</source>
        <translation>Sign in</translation>
    </message>
    <message>
        <location filename="../../ui/signin.py" line="97"/>
        <source>演示模式：内置数据库 + 模拟电话系统。演示账号：</source>
        <translation>Demo mode: embedded database + simulated phone system. Demo accounts:</translation>
    </message>
    <message>
        <location filename="../../ui/signin.py" line="103"/>
        <source>用户名</source>
        <translation>User name</translation>
    </message>
    <message>
        <location filename="../../ui/signin.py" line="103"/>
        <source>密码</source>
        <translation>Password</translation>
    </message>
    <message>
        <location filename="../../ui/signin.py" line="103"/>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../ui/signin.py" line="103"/>
        <source>角色</source>
        <translation>Roles</translation>
    </message>
    <message>
        <location filename="../../ui/signin.py" line="109"/>
        <source>新手请用 agent1 / demo-agent1 登录：一分钟内会有模拟来电弹屏。</source>
        <translation>New here? Sign in as agent1 / demo-agent1: a simulated call pops within a minute.</translation>
    </message>
    <message>
        <location filename="../../ui/signin.py" line="139"/>
        <source>正在登录…</source>
        <translation>Signing in…</translation>
    </message>
    <message>
        <location filename="../../ui/signin.py" line="152"/>
        <source>请输入用户名和密码</source>
        <translation>Enter user name and password</translation>
    </message>
</context>
<context>
    <name>Wallboard</name>
    <message>
        <location filename="../../ui/wallboard.py" line="49"/>
        <location filename="../../ui/wallboard.py" line="128"/>
        <source>正在连接话务监控…</source>
        <translation>Connecting to the queue monitor…</translation>
    </message>
    <message>
        <location filename="../../ui/wallboard.py" line="55"/>
        <source>坐席</source>
        <translation>Agent</translation>
    </message>
    <message>
        <location filename="../../ui/wallboard.py" line="55"/>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../ui/wallboard.py" line="55"/>
        <source>暂停原因</source>
        <translation>Pause reason</translation>
    </message>
    <message>
        <location filename="../../ui/wallboard.py" line="56"/>
        <source>持续</source>
        <translation>For</translation>
    </message>
    <message>
        <location filename="../../ui/wallboard.py" line="56"/>
        <source>今日接听</source>
        <translation>Taken today</translation>
    </message>
    <message>
        <location filename="../../ui/wallboard.py" line="56"/>
        <source>队列</source>
        <translation>Queues</translation>
    </message>
    <message>
        <location filename="../../ui/wallboard.py" line="57"/>
        <source>接口</source>
        <translation>Interface</translation>
    </message>
    <message>
        <location filename="../../ui/wallboard.py" line="68"/>
        <source>暂停所选坐席</source>
        <translation>Pause selected agent</translation>
    </message>
    <message>
        <location filename="../../ui/wallboard.py" line="69"/>
        <source>恢复所选坐席</source>
        <translation>Resume selected agent</translation>
    </message>
    <message>
        <location filename="../../ui/wallboard.py" line="70"/>
        <source>签出所选坐席</source>
        <translation>Log out selected agent</translation>
    </message>
    <message>
        <location filename="../../ui/wallboard.py" line="71"/>
        <source>原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location filename="../../ui/wallboard.py" line="99"/>
        <source>队列 </source>
        <translation>Queue </translation>
    </message>
    <message>
        <location filename="../../ui/wallboard.py" line="103"/>
        <source>等待</source>
        <translation>Waiting</translation>
    </message>
    <message>
        <location filename="../../ui/wallboard.py" line="103"/>
        <source>最长等待</source>
        <translation>Longest wait</translation>
    </message>
    <message>
        <location filename="../../ui/wallboard.py" line="103"/>
        <source>今日已接</source>
        <translation>Answered today</translation>
    </message>
    <message>
        <location filename="../../ui/wallboard.py" line="103"/>
        <source>放弃</source>
        <translation>Abandoned</translation>
    </message>
    <message>
        <location filename="../../ui/wallboard.py" line="104"/>
        <source>服务水平（{s} 秒）</source>
        <translation>Service level ({s} s)</translation>
    </message>
    <message>
        <location filename="../../ui/wallboard.py" line="130"/>
        <source>监控链路中断，以下为最后已知数据</source>
        <translation>Monitor link down: last known numbers</translation>
    </message>
    <message>
        <location filename="../../ui/wallboard.py" line="132"/>
        <source>实时数据</source>
        <translation>Live</translation>
    </message>
    <message>
        <location filename="../../ui/wallboard.py" line="169"/>
        <source>暂停坐席 </source>
        <translation>Pause agent </translation>
    </message>
    <message>
        <location filename="../../ui/wallboard.py" line="176"/>
        <source>恢复坐席 </source>
        <translation>Resume agent </translation>
    </message>
    <message>
        <location filename="../../ui/wallboard.py" line="183"/>
        <source>签出坐席 </source>
        <translation>Log out agent </translation>
    </message>
</context>
</TS>
